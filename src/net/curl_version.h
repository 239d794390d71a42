// CurlVersion: the version of the libcurl library this process runs with, for `--version`.
#pragma once

#include <string>

namespace enhancer {

// "7.88.1 (OpenSSL/3.0.11)": the loaded library's version and its TLS backend. Thread-safe.
std::string CurlVersion();

}  // namespace enhancer
