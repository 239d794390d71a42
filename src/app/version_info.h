// VersionInfo: what `enhancer --version` prints: this program's version and those of the
// libraries it runs with (libvips, libcurl, SQLite), as loaded at run time.
#pragma once

#include <string>
#include <string_view>

namespace enhancer {

// Lines "enhancer 0.1.0", "libvips 8.14.1", "libcurl 7.88.1 (OpenSSL/3.0.11)", "SQLite 3.40.1",
// without a final newline. A library that cannot say shows "unknown".
std::string VersionText(std::string_view enhancer_version);

}  // namespace enhancer
