// VipsVersion: the version of the libvips library this process runs with, for `--version`.
#pragma once

#include <string>

namespace enhancer {

// "8.14.1": the loaded library's version, which may differ from the headers it was built with.
// Needs no InitVips(). Thread-safe.
std::string VipsVersion();

}  // namespace enhancer
