/**
 * Classic BPF opcodes (linux/filter.h, linux/bpf_common.h) and the instruction type the kernel's
 * `struct sock_filter` holds, shared by the code generator, the VM and the disassembler.
 *
 * @module
 */

/** One classic BPF instruction, as in `struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }`. */
export interface BpfInstruction {
  /** Opcode: class | size | mode, or class | op | source. */
  code: number;
  /** Jump offset when the condition holds (0-255, relative to the next instruction). */
  jt: number;
  /** Jump offset when the condition fails. */
  jf: number;
  /** The constant operand (an unsigned 32-bit number). */
  k: number;
}

/** Instruction classes, sizes, modes, ALU and jump operations, sources and return sources. */
export const BPF = {
  LD: 0x00,
  LDX: 0x01,
  ST: 0x02,
  STX: 0x03,
  ALU: 0x04,
  JMP: 0x05,
  RET: 0x06,
  MISC: 0x07,
  W: 0x00,
  H: 0x08,
  B: 0x10,
  IMM: 0x00,
  ABS: 0x20,
  IND: 0x40,
  MEM: 0x60,
  LEN: 0x80,
  MSH: 0xa0,
  ADD: 0x00,
  SUB: 0x10,
  MUL: 0x20,
  DIV: 0x30,
  OR: 0x40,
  AND: 0x50,
  LSH: 0x60,
  RSH: 0x70,
  NEG: 0x80,
  MOD: 0x90,
  XOR: 0xa0,
  JA: 0x00,
  JEQ: 0x10,
  JGT: 0x20,
  JGE: 0x30,
  JSET: 0x40,
  K: 0x00,
  X: 0x08,
  A: 0x10,
  TAX: 0x00,
  TXA: 0x80,
  /** Scratch memory words (BPF_MEMWORDS). */
  MEMWORDS: 16,
  /** The most instructions the kernel accepts (BPF_MAXINSNS). */
  MAXINSNS: 4096,
} as const;

/**
 * The kernel's ancillary-data loads (linux/filter.h): an absolute load at `SKF_AD_OFF + n` (as an unsigned
 * 32-bit k) reads socket-buffer metadata instead of packet bytes. Only live packet sockets have them.
 */
export const SKF_AD = {
  /** `SKF_AD_OFF`, -4096, as an unsigned 32-bit k. */
  OFF: 0xfffff000,
  /** The packet type (`sll_pkttype`: 0 host ... 4 outgoing); libpcap's `[type]`. */
  PKTTYPE: 4,
  /** The VLAN TCI the kernel took out of the frame (0 when none); libpcap's `[vlan_tci]`. */
  VLAN_TAG: 44,
  /** 1 when the kernel took a VLAN tag out of the frame, else 0; libpcap's `[vlanp]`. */
  VLAN_TAG_PRESENT: 48,
} as const;

/** `PACKET_OUTGOING` (linux/if_packet.h): the packet type of a frame this host sends. */
export const PACKET_OUTGOING = 4;
