#include "peers/s3rver_process.h"

#include <charconv>

namespace enhancer::peers {
namespace {

constexpr char kReadyPrefix[] = "S3RVER_PORT=";
// A hang guard: it is ready in well under a second here.
constexpr std::chrono::seconds kStartTimeout{60};

}  // namespace

Result<std::unique_ptr<S3rverProcess>> S3rverProcess::Start() {
  Result<std::string> node = PeersNodeBinary();
  if (!node) return node.error();
  std::unique_ptr<S3rverProcess> server(new S3rverProcess());
  if (server->dir_.path().empty()) {
    return FailedPreconditionError("cannot make a temporary folder for s3rver");
  }
  Result<std::unique_ptr<PeerProcess>> process =
      PeerProcess::Start({*node, PeersDir() + "/s3rver_server.mjs", server->dir_.path() + "/data"},
                         {}, server->dir_.path() + "/s3rver.log");
  if (!process) return process.error();
  server->process_ = *std::move(process);

  Result<std::string> port = server->process_->WaitForLogLine(kReadyPrefix, kStartTimeout);
  if (!port) return port.error().WithContext("s3rver");
  auto [end, error] = std::from_chars(port->data(), port->data() + port->size(), server->port_);
  if (error != std::errc() || server->port_ <= 0) {
    return InternalError("s3rver printed a port that is not a number: \"" + *port + "\"");
  }
  return server;
}

S3rverProcess::~S3rverProcess() {
  // The server goes before its folder: it may still be writing into it.
  if (process_) process_->Stop();
}

}  // namespace enhancer::peers
