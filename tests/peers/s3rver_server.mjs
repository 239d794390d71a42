// Starts @20minutes/s3rver 5 (an S3 emulator that checks SigV4 signatures, credentials
// S3RVER/S3RVER) on 127.0.0.1 for the tests, and prints "S3RVER_PORT=<port>" once it accepts
// requests. Usage: node s3rver_server.mjs DIRECTORY [port]   (port 0 or none: a free port)
// DIRECTORY holds the buckets; the caller owns it (and removes it). Stop it by its process id
// (SIGTERM). The package ships no CLI script, hence this file.
//
// Known bug: a bucket-level path ending in '/' ("PUT /bucket/") fails its signature check;
// create buckets as "PUT /bucket", as boto3 and the aws CLI do.
//
// One change to s3rver here: it rewrites an object's file in place, so a GET that runs during a
// PUT of the same key reads a mix of both (seen in the ObjectStore contract's concurrent-puts
// test). S3 replaces an object whole, so this launcher makes each write go to a temporary file
// that is renamed over the object, and the contract tests the client, not the emulator's files.
// (Its metadata file is still written after the bytes: sizes can disagree for a moment when
// concurrent puts of one key differ in size.)
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import S3rver from "@20minutes/s3rver";

const require = createRequire(import.meta.url);
const FilesystemStore = require("@20minutes/s3rver/lib/stores/filesystem.js");
let temporaryFiles = 0;
// Same contract as the original: resolves to [size, md5 hex] once the bytes are in place.
FilesystemStore.prototype.putContent = async function (objectPath, content) {
  const temporary = `${objectPath}.${process.pid}.${++temporaryFiles}.tmp`;
  const md5 = createHash("md5");
  let size = 0;
  try {
    await pipeline(
      Buffer.isBuffer(content) ? Readable.from([content]) : content,
      new Transform({
        transform(chunk, encoding, callback) {
          md5.update(chunk, encoding);
          size += chunk.length;
          callback(null, chunk);
        },
      }),
      createWriteStream(temporary),
    );
    await rename(temporary, objectPath);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return [size, md5.digest("hex")];
};

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
