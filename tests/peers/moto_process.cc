#include "peers/moto_process.h"

#include <stdlib.h>
#include <unistd.h>

#include <charconv>
#include <string_view>

namespace enhancer::peers {
namespace {

// Werkzeug prints this once the socket listens; port 0 asks the system for a free one, and the
// line says which.
constexpr char kReadyPrefix[] = " * Running on http://127.0.0.1:";
// A hang guard: it starts in one or two seconds here.
constexpr std::chrono::seconds kStartTimeout{60};

}  // namespace

Result<std::string> FindInPath(const std::string& program) {
  const char* path = ::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t colon = dirs.find(':', start);
    if (colon == std::string_view::npos) colon = dirs.size();
    std::string dir(dirs.substr(start, colon - start));
    if (!dir.empty()) {
      std::string candidate = dir + "/" + program;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    start = colon + 1;
  }
  return NotFoundError(program + " is not in PATH (" + std::string(dirs) + ")");
}

Result<std::unique_ptr<MotoProcess>> MotoProcess::Start(bool check_signatures) {
  Result<std::string> moto = FindInPath("moto_server");
  if (!moto) {
    return FailedPreconditionError(
        moto.error().message() +
        ": the SQS tests need moto_server 5 (pip package moto[server]), which the machine image "
        "provides; install it with its python3's pip");
  }
  std::unique_ptr<MotoProcess> server(new MotoProcess());
  if (server->dir_.path().empty()) {
    return FailedPreconditionError("cannot make a temporary folder for moto_server");
  }
  std::map<std::string, std::string> env;
  if (check_signatures) env["INITIAL_NO_AUTH_ACTION_COUNT"] = std::to_string(kFreeRequests);
  Result<std::unique_ptr<PeerProcess>> process = PeerProcess::Start(
      {*moto, "-H", "127.0.0.1", "-p", "0"}, env, server->dir_.path() + "/moto.log");
  if (!process) return process.error();
  server->process_ = *std::move(process);

  Result<std::string> port = server->process_->WaitForLogLine(kReadyPrefix, kStartTimeout);
  if (!port) return port.error().WithContext("moto_server");
  auto [end, error] = std::from_chars(port->data(), port->data() + port->size(), server->port_);
  if (error != std::errc() || server->port_ <= 0) {
    return InternalError("moto_server printed a port that is not a number: \"" + *port + "\"");
  }
  return server;
}

MotoProcess::~MotoProcess() {
  if (process_) process_->Stop();
}

}  // namespace enhancer::peers
