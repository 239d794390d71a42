// CliRun: runs the built `enhancer` for the command-line tests, with stdout and stderr kept
// apart (what a script sees through pipes), or on a pseudo-terminal (what a person sees).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace enhancer::testing {

struct CliOutput {
  int exit_code = -1;  // 128 + signal when killed
  std::string out;     // stdout; on a terminal, everything written to it
  std::string err;     // stderr; empty on a terminal (it is the same device as stdout)
};

// The `enhancer` binary of this build.
std::string EnhancerBinary();

// Runs `enhancer args...` in `cwd`, with the current environment plus `env`, stdout and stderr
// each into a file (neither is a terminal), and waits for it to exit.
CliOutput RunEnhancer(const std::vector<std::string>& args, const std::string& cwd,
                      const std::map<std::string, std::string>& env = {});

// The same with stdin, stdout and stderr on one pseudo-terminal `columns` wide; returns all it
// wrote to the terminal in `out`.
CliOutput RunEnhancerInTerminal(const std::vector<std::string>& args, const std::string& cwd,
                                const std::map<std::string, std::string>& env = {},
                                int columns = 120);

}  // namespace enhancer::testing
