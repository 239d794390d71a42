// Starts fauxqs (an SQS emulator) on 127.0.0.1 for the tests, and prints "FAUXQS_PORT=<port>"
// once it accepts requests. Usage: node fauxqs_server.mjs [port]   (0 or none: a free port)
// Stop it by its process id (SIGTERM).
//
// fauxqs binds 0.0.0.0 whatever it is told; the tests must listen on loopback only, so every
// server this process opens is pinned to 127.0.0.1 before fauxqs is loaded.
import net from "node:net";

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (args.length > 0 && typeof args[0] === "object" && args[0] !== null) {
    args[0] = { ...args[0], host: "127.0.0.1" };
  } else if (typeof args[0] === "number" || typeof args[0] === "string") {
    // listen(port[, host][, backlog][, callback])
    if (typeof args[1] === "string") args[1] = "127.0.0.1";
    else args.splice(1, 0, "127.0.0.1");
  }
  return listen.apply(this, args);
};

const { startFauxqs } = await import("fauxqs");
const port = Number(process.argv[2] ?? 0);
const server = await startFauxqs({ port, logger: false });
process.stdout.write(`FAUXQS_PORT=${server.port}\n`);

const stop = () => server.stop().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
