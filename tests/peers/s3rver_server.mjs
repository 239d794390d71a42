// Starts @20minutes/s3rver 5 (an S3 emulator that checks SigV4 signatures, credentials
// S3RVER/S3RVER) on 127.0.0.1 for the tests, and prints "S3RVER_PORT=<port>" once it accepts
// requests. Usage: node s3rver_server.mjs DIRECTORY [port]   (port 0 or none: a free port)
// DIRECTORY holds the buckets; the caller owns it (and removes it). Stop it by its process id
// (SIGTERM). The package ships no CLI script, hence this file.
//
// Known bug: a bucket-level path ending in '/' ("PUT /bucket/") fails its signature check;
// create buckets as "PUT /bucket", as boto3 and the aws CLI do.
import S3rver from "@20minutes/s3rver";

const directory = process.argv[2];
if (!directory) {
  process.stderr.write("usage: node s3rver_server.mjs DIRECTORY [port]\n");
  process.exit(2);
}
const port = Number(process.argv[3] ?? 0);
const server = new S3rver({ address: "127.0.0.1", port, directory, silent: true });
const address = await server.run();
process.stdout.write(`S3RVER_PORT=${address.port}\n`);

const stop = () => server.close().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
