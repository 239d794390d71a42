#include "peers/fauxqs_process.h"

#include <charconv>

namespace enhancer::peers {
namespace {

constexpr char kReadyPrefix[] = "FAUXQS_PORT=";
// A hang guard: it is ready in about a second here.
constexpr std::chrono::seconds kStartTimeout{60};

}  // namespace

Result<std::unique_ptr<FauxqsProcess>> FauxqsProcess::Start() {
  Result<std::string> node = PeersNodeBinary();
  if (!node) return node.error();
  std::unique_ptr<FauxqsProcess> server(new FauxqsProcess());
  if (server->dir_.path().empty()) {
    return FailedPreconditionError("cannot make a temporary folder for fauxqs");
  }
  // Node's warning that node:sqlite is experimental is noise in a test log.
  Result<std::unique_ptr<PeerProcess>> process =
      PeerProcess::Start({*node, "--no-warnings", PeersDir() + "/fauxqs_server.mjs", "0"}, {},
                         server->dir_.path() + "/fauxqs.log");
  if (!process) return process.error();
  server->process_ = *std::move(process);

  Result<std::string> port = server->process_->WaitForLogLine(kReadyPrefix, kStartTimeout);
  if (!port) return port.error().WithContext("fauxqs");
  auto [end, error] = std::from_chars(port->data(), port->data() + port->size(), server->port_);
  if (error != std::errc() || server->port_ <= 0) {
    return InternalError("fauxqs printed a port that is not a number: \"" + *port + "\"");
  }
  return server;
}

FauxqsProcess::~FauxqsProcess() {
  // The process goes before its folder.
  if (process_) process_->Stop();
}

}  // namespace enhancer::peers
