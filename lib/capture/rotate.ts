/**
 * tcpdump's savefile rotation (`-C`, `-G`, `-W`): the names of the files and when to start the next one.
 *
 * - `-C N`: before writing a packet, when the file is already larger than N million bytes, close it and
 *   open the next: `FILE`, `FILE1`, `FILE2`, ... With `-W M` the count wraps at M (a ring of files) and
 *   every name carries it, zero-padded to the digits of M-1: `FILE0` ... `FILE9` for `-W 10`.
 * - `-G S`: before writing a packet, when S seconds (of wall-clock time) have passed since the file was
 *   opened, open the next; the `-w` name goes through `strftime` with the local time the file was opened.
 *   With `-W M` (and no `-C`), the capture ends after M files ("Maximum file limit reached: M").
 * - Both: `-G` starts a new series, numbered from 0 as `-C` numbers them.
 *
 * @module
 */

/** `-C`, `-G` and `-W` as numbers (0: not given). */
export interface RotationOptions {
  /** `-C`: the size in bytes (tcpdump's N * 1,000,000) past which the next file starts. */
  bytes?: number;
  /** `-G`: the seconds after which the next file starts. */
  seconds?: number;
  /** `-W`: how many files. */
  files?: number;
}

/** Which file of a rotation to open. */
export interface RotationFile {
  /** The `-C` count (0 for the first file of a series). */
  count: number;
  /** When the `-G` period began, in seconds since the epoch (for `strftime`). */
  time: number;
}

/**
 * The digits a `-W` count is padded to: those of `files - 1` (tcpdump's getWflagChars).
 *
 * @param files the `-W` value (0: none)
 * @returns the width
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { countWidth } from "./rotate.ts";
 * assert.deepEqual([0, 1, 2, 10, 11, 100].map(countWidth), [0, 0, 1, 1, 2, 2]);
 * ```
 */
export function countWidth(files: number): number {
  let x = files - 1, c = 0;
  while (x > 0) {
    c++;
    x = Math.floor(x / 10);
  }
  return c;
}

/**
 * The name of one file of a rotation, as tcpdump's MakeFilename builds it.
 *
 * @param base the `-w` name
 * @param o the rotation options
 * @param file which file
 * @returns the path
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rotatedFileName } from "./rotate.ts";
 * assert.equal(rotatedFileName("x.pcap", { bytes: 1e6 }, { count: 0, time: 0 }), "x.pcap");
 * assert.equal(rotatedFileName("x.pcap", { bytes: 1e6 }, { count: 2, time: 0 }), "x.pcap2");
 * assert.equal(rotatedFileName("x.pcap", { bytes: 1e6, files: 11 }, { count: 3, time: 0 }), "x.pcap03");
 * ```
 */
export function rotatedFileName(base: string, o: RotationOptions, file: RotationFile): string {
  const name = o.seconds ? strftime(base, new Date(file.time * 1000)) : base;
  if (!o.bytes) return name;
  const width = countWidth(o.files ?? 0);
  return file.count === 0 && width === 0 ? name : name + String(file.count).padStart(width, "0");
}

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

const p2 = (n: number) => String(n).padStart(2, "0");

/**
 * C's `strftime` in the C locale with the local time zone, for the conversions a file name uses: `%Y %y
 * %C %m %d %e %j %H %I %k %l %M %S %s %p %a %A %b %h %B %u %w %F %T %R %D %z %n %t %%`. Any other
 * conversion is left as written.
 *
 * @param format the pattern
 * @param d the time
 * @returns the text
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strftime } from "./rotate.ts";
 * const d = new Date(2026, 10, 25, 9, 5, 7); // local time
 * assert.equal(strftime("cap-%Y%m%d-%H%M%S.pcap", d), "cap-20261125-090507.pcap");
 * assert.equal(strftime("%%%j %a %b %e", d), "%329 Wed Nov 25");
 * ```
 */
export function strftime(format: string, d: Date): string {
  return format.replace(/%([a-zA-Z%])/g, (all, c: string) => {
    const h = d.getHours();
    switch (c) {
      case "Y":
        return String(d.getFullYear());
      case "y":
        return p2(d.getFullYear() % 100);
      case "C":
        return p2(Math.floor(d.getFullYear() / 100));
      case "m":
        return p2(d.getMonth() + 1);
      case "d":
        return p2(d.getDate());
      case "e":
        return String(d.getDate()).padStart(2, " ");
      case "j": {
        const y = d.getFullYear();
        const day = (Date.UTC(y, d.getMonth(), d.getDate()) - Date.UTC(y, 0, 1)) / 86_400_000 + 1;
        return String(day).padStart(3, "0");
      }
      case "H":
        return p2(h);
      case "I":
        return p2(h % 12 === 0 ? 12 : h % 12);
      case "k":
        return String(h).padStart(2, " ");
      case "l":
        return String(h % 12 === 0 ? 12 : h % 12).padStart(2, " ");
      case "M":
        return p2(d.getMinutes());
      case "S":
        return p2(d.getSeconds());
      case "s":
        return String(Math.floor(d.getTime() / 1000));
      case "p":
        return h < 12 ? "AM" : "PM";
      case "a":
        return DAYS[d.getDay()].slice(0, 3);
      case "A":
        return DAYS[d.getDay()];
      case "b":
      case "h":
        return MONTHS[d.getMonth()].slice(0, 3);
      case "B":
        return MONTHS[d.getMonth()];
      case "u":
        return String(d.getDay() === 0 ? 7 : d.getDay());
      case "w":
        return String(d.getDay());
      case "F":
        return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}`;
      case "T":
        return `${p2(h)}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
      case "R":
        return `${p2(h)}:${p2(d.getMinutes())}`;
      case "D":
        return `${p2(d.getMonth() + 1)}/${p2(d.getDate())}/${p2(d.getFullYear() % 100)}`;
      case "z": {
        const off = -d.getTimezoneOffset();
        const a = Math.abs(off);
        return `${off < 0 ? "-" : "+"}${p2(Math.floor(a / 60))}${p2(a % 60)}`;
      }
      case "n":
        return "\n";
      case "t":
        return "\t";
      case "%":
        return "%";
      default:
        return all;
    }
  });
}
