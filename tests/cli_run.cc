#include "cli_run.h"

#include <fcntl.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

namespace enhancer::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

[[noreturn]] void Exec(const std::vector<std::string>& args, const std::string& cwd,
                       const std::map<std::string, std::string>& env) {
  if (chdir(cwd.c_str()) != 0) _exit(126);
  for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
  std::vector<std::string> argv = args;
  argv.insert(argv.begin(), EnhancerBinary());
  std::vector<char*> pointers;
  for (std::string& arg : argv) pointers.push_back(arg.data());
  pointers.push_back(nullptr);
  execv(pointers[0], pointers.data());
  _exit(127);
}

int WaitExit(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

std::string EnhancerBinary() { return std::string(ENHANCER_BINARY_DIR) + "/enhancer"; }

CliOutput RunEnhancer(const std::vector<std::string>& args, const std::string& cwd,
                      const std::map<std::string, std::string>& env) {
  const std::string stem = cwd + "/.cli_run_" + std::to_string(getpid());
  const std::string out_path = stem + ".out", err_path = stem + ".err";
  const pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_RDONLY);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(null, 0);
    dup2(out, 1);
    dup2(err, 2);
    Exec(args, cwd, env);
  }
  CliOutput output;
  output.exit_code = WaitExit(pid);
  output.out = ReadAll(out_path);
  output.err = ReadAll(err_path);
  unlink(out_path.c_str());
  unlink(err_path.c_str());
  return output;
}

CliOutput RunEnhancerInTerminal(const std::vector<std::string>& args, const std::string& cwd,
                                const std::map<std::string, std::string>& env, int columns) {
  winsize size{};
  size.ws_row = 40;
  size.ws_col = static_cast<unsigned short>(columns);
  int terminal = -1;
  const pid_t pid = forkpty(&terminal, nullptr, nullptr, &size);
  if (pid == 0) Exec(args, cwd, env);
  CliOutput output;
  if (pid < 0) return output;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(terminal, buffer, sizeof(buffer));
    if (n > 0) {
      output.out.append(buffer, static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // EIO: the child closed its side
    }
  }
  close(terminal);
  output.exit_code = WaitExit(pid);
  return output;
}

}  // namespace enhancer::testing
