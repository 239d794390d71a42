// ScopedTempDir: a fresh folder for one test's database files, removed with everything in it
// when the object goes away. Test-only.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace enhancer {

class ScopedTempDir {
 public:
  ScopedTempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "enhancer-test-XXXXXX").string();
    // mkdtemp picks a name no other test or process is using, and creates it atomically.
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;
  ~ScopedTempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }

  // Empty when the folder could not be created.
  const std::filesystem::path& path() const { return path_; }
  // A path inside the folder, as a string for APIs that take one.
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace enhancer
