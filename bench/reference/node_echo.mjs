// What a Node.js user would write: a `net` echo server with socket.pipe(socket) (UDP: dgram, reply to sender).
//   node node_echo.mjs PORT [udp]
import net from "node:net";
import dgram from "node:dgram";
import process from "node:process";

const port = Number(process.argv[2]);
if (process.argv[3] === "udp") {
  const sock = dgram.createSocket("udp4");
  sock.on("message", (msg, rinfo) => sock.send(msg, rinfo.port, rinfo.address));
  sock.bind(port, "127.0.0.1");
} else {
  const server = net.createServer({ noDelay: true }, (s) => {
    s.on("error", () => s.destroy());
    s.pipe(s);
  });
  server.listen({ port, host: "127.0.0.1", backlog: 4096 });
}
process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));
