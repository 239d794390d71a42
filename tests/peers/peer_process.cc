#include "peers/peer_process.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace enhancer::peers {
namespace {

constexpr std::chrono::milliseconds kPollInterval{20};
constexpr size_t kLogTailBytes = 2000;

// NAME=value strings: the current environment, with `overrides` replacing or adding names.
std::vector<std::string> MergedEnvironment(const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> out;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    std::string name(text.substr(0, text.find('=')));
    if (!overrides.contains(name)) out.emplace_back(text);
  }
  for (const auto& [name, value] : overrides) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

Result<std::unique_ptr<PeerProcess>> PeerProcess::Start(std::vector<std::string> argv,
                                                        std::map<std::string, std::string> env,
                                                        std::string log_path) {
  if (argv.empty()) return InvalidArgumentError("PeerProcess::Start needs a program");
  // Everything the child needs is built before fork: a test binary has threads, and the child
  // may only make async-signal-safe calls until exec.
  std::vector<std::string> environment = MergedEnvironment(env);
  std::vector<char*> args = Pointers(argv);
  std::vector<char*> envp = Pointers(environment);
  int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    return FailedPreconditionError("cannot write " + log_path + ": " + strerror(errno));
  }
  // The child writes exec's errno here; the pipe closes empty when exec succeeds.
  int exec_errors[2];
  if (::pipe2(exec_errors, O_CLOEXEC) != 0) {
    ::close(log_fd);
    return InternalError(std::string("pipe2: ") + strerror(errno));
  }
  const pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(log_fd);
    ::close(exec_errors[0]);
    ::close(exec_errors[1]);
    return UnavailableError(std::string("fork: ") + strerror(errno));
  }
  if (pid == 0) {
    // A server must not outlive a test binary that crashed before stopping it.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(125);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    ::execvpe(args[0], args.data(), envp.data());
    int error = errno;
    ssize_t ignored = ::write(exec_errors[1], &error, sizeof error);
    (void)ignored;
    ::_exit(127);
  }
  ::close(log_fd);
  ::close(exec_errors[1]);
  int exec_error = 0;
  ssize_t n;
  do {
    n = ::read(exec_errors[0], &exec_error, sizeof exec_error);
  } while (n < 0 && errno == EINTR);
  ::close(exec_errors[0]);
  std::unique_ptr<PeerProcess> process(new PeerProcess(pid, std::move(log_path)));
  if (n > 0) {
    process->Stop();
    return FailedPreconditionError("cannot run " + argv[0] + ": " + strerror(exec_error));
  }
  return process;
}

PeerProcess::~PeerProcess() { Stop(); }

bool PeerProcess::Reap(bool block) {
  if (reaped_) return true;
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == 0) return false;
  reaped_ = true;
  if (r == pid_) exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return true;
}

bool PeerProcess::Running() { return !Reap(/*block=*/false); }

void PeerProcess::Stop(std::chrono::milliseconds grace) {
  if (!Running()) return;
  ::kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (Running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(kPollInterval);
  }
  if (Running()) {
    ::kill(pid_, SIGKILL);
    Reap(/*block=*/true);
  }
}

Result<int> PeerProcess::Wait(std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (Running()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return DeadlineExceededError("process " + std::to_string(pid_) + " still runs after " +
                                   std::to_string(timeout.count()) + " s; " + LogTail());
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  return exit_code_;
}

std::string PeerProcess::Log() const {
  std::ifstream in(log_path_, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string PeerProcess::LogTail() const {
  std::string log = Log();
  if (log.size() > kLogTailBytes) log = "..." + log.substr(log.size() - kLogTailBytes);
  return log.empty() ? "(its log is empty)" : "its log:\n" + log;
}

Result<std::string> PeerProcess::WaitForLogLine(std::string_view prefix,
                                                std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    // Only whole lines count: the server may be half-way through writing one.
    std::istringstream log(Log());
    std::string line;
    while (std::getline(log, line)) {
      if (!log.eof() && line.starts_with(prefix)) return line.substr(prefix.size());
    }
    if (!Running()) {
      return FailedPreconditionError("process " + std::to_string(pid_) + " exited before printing \"" +
                                     std::string(prefix) + "\"; " + LogTail());
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return DeadlineExceededError("process " + std::to_string(pid_) + " did not print \"" +
                                   std::string(prefix) + "\" within " +
                                   std::to_string(timeout.count()) + " s; " + LogTail());
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

PeerTempDir::PeerTempDir(std::string_view name) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / (std::string(name) + ".XXXXXX")).string();
  if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
}

PeerTempDir::~PeerTempDir() {
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
}

std::string PeersDir() { return ENHANCER_PEERS_DIR; }

Result<std::string> PeersNodeBinary() {
  std::string node = PeersDir() + "/node_modules/.bin/node";
  if (::access(node.c_str(), X_OK) != 0) {
    return FailedPreconditionError(node +
                                   " is missing: run scripts/install-deps (it installs the "
                                   "npm packages of tests/peers, Node 22 among them)");
  }
  return node;
}

}  // namespace enhancer::peers
