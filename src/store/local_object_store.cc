#include "store/local_object_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace enhancer {
namespace {

namespace fs = std::filesystem;

// Temporary files are written in one folder at the root, named <host>.<pid>.<n>, and renamed into
// place. The folder's name contains '~', which no valid key can, so it never collides with (or is
// mistaken for) an object; and one folder is all there is to sweep at start-up (SweepTemporaries).
constexpr std::string_view kTempFolder = ".~tmp";
// No upload takes this long: a temporary file older than this is left from a crash, whoever
// wrote it.
constexpr auto kTemporaryLifetime = std::chrono::hours(1);

std::string HostName() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

bool ProcessIsGone(pid_t pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

// Removes the temporary files of processes that died mid-upload (SIGKILL, power loss): those of
// this host whose process is gone, and any older than kTemporaryLifetime (other hosts sharing the
// folder, containers that were replaced, a pid reused). Best effort: what cannot be removed is
// left.
void SweepTemporaries(const fs::path& folder, const std::string& host) {
  std::error_code ec;
  const auto now = fs::file_time_type::clock::now();
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    bool stale = false;
    if (name.starts_with(host + ".")) {
      const std::string rest = name.substr(host.size() + 1);
      const pid_t pid = static_cast<pid_t>(std::strtol(rest.c_str(), nullptr, 10));
      stale = pid <= 0 || ProcessIsGone(pid);
    }
    std::error_code time_ec;
    const fs::file_time_type modified = entry.last_write_time(time_ec);
    if (!time_ec && now - modified > kTemporaryLifetime) stale = true;
    if (stale) fs::remove(entry.path(), ec);
  }
}

Status InvalidKeyError(std::string_view key) {
  return InvalidArgumentError(
      "invalid object key \"" + std::string(key) +
      "\": use segments of [A-Za-z0-9._-] joined by '/', at most 512 bytes");
}

// Maps an errno from the file system to the code that tells the caller what to do.
Status ErrnoError(int err, std::string_view what, std::string_view key) {
  std::string message = std::string(what) + " " + std::string(key) + ": " + std::strerror(err);
  switch (err) {
    case ENOSPC:
    case EDQUOT: return ResourceExhaustedError(std::move(message));
    case ENAMETOOLONG:
      return InvalidArgumentError(std::move(message) +
                                  " (the local store allows at most 255 bytes per key segment)");
    case EEXIST:
    case ENOTDIR:
    case EISDIR:
      // Only a key that is also a folder of other keys ("a" and "a/b") gets here.
      return FailedPreconditionError(
          std::move(message) + " (a key cannot be both an object and a prefix of other keys)");
    case EACCES:
    case EPERM:
    case EROFS: return FailedPreconditionError(std::move(message));
    default: return InternalError(std::move(message));
  }
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now, so that the error of close() is seen; returns errno or 0.
  int Close() {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

int WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return 0;
}

class LocalObjectStore final : public ObjectStore {
 public:
  LocalObjectStore(fs::path root, std::string public_base, std::string temp_prefix)
      : root_(std::move(root)),
        public_base_(std::move(public_base)),
        temp_prefix_(std::move(temp_prefix)) {}

  Status Put(std::string_view key, std::string_view bytes,
             std::string_view /*content_type*/) override {
    if (!IsValidObjectKey(key)) return InvalidKeyError(key);
    fs::path path = root_ / key;
    fs::path dir = path.parent_path();
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return ErrnoError(ec.value(), "creating the folder of", key);

    fs::path temp =
        root_ / kTempFolder / (temp_prefix_ + std::to_string(temp_counter_.fetch_add(1)));
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (fd.get() < 0) return ErrnoError(errno, "creating a temporary file for", key);
    int err = WriteAll(fd.get(), bytes);
    if (err == 0 && ::fsync(fd.get()) != 0) err = errno;
    if (int close_err = fd.Close(); err == 0) err = close_err;
    if (err == 0 && ::rename(temp.c_str(), path.c_str()) != 0) err = errno;
    if (err != 0) {
      ::unlink(temp.c_str());
      return ErrnoError(err, "writing", key);
    }
    // The rename is durable only once the folder itself is synced.
    return SyncFolder(dir, key);
  }

  Result<std::string> Get(std::string_view key) override {
    if (!IsValidObjectKey(key)) return InvalidKeyError(key);
    fs::path path = root_ / key;
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
      if (errno == ENOENT || errno == ENOTDIR) return NotFoundError(NoSuchObject(key));
      return ErrnoError(errno, "opening", key);
    }
    struct stat st;
    if (::fstat(fd.get(), &st) != 0) return ErrnoError(errno, "reading", key);
    // A folder holding other keys is not an object.
    if (!S_ISREG(st.st_mode)) return NotFoundError(NoSuchObject(key));
    std::string bytes;
    bytes.reserve(static_cast<size_t>(st.st_size));
    char buffer[64 * 1024];
    while (true) {
      ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoError(errno, "reading", key);
      }
      if (n == 0) break;
      bytes.append(buffer, static_cast<size_t>(n));
    }
    return bytes;
  }

  Status Delete(std::string_view key) override {
    if (!IsValidObjectKey(key)) return InvalidKeyError(key);
    fs::path path = root_ / key;
    if (::unlink(path.c_str()) == 0) return OkStatus();
    // Missing, under a non-folder, or a folder of other keys: in each case there is no such object.
    if (errno == ENOENT || errno == ENOTDIR || errno == EISDIR) return OkStatus();
    return ErrnoError(errno, "deleting", key);
  }

  std::string PublicUrl(std::string_view key) const override {
    return public_base_ + "/" + std::string(key);
  }

  std::string Describe() const override {
    return "folder " + root_.string() + " served at " + public_base_ + "/";
  }

 private:
  static std::string NoSuchObject(std::string_view key) {
    return "no object with key " + std::string(key);
  }

  static Status SyncFolder(const fs::path& dir, std::string_view key) {
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) return ErrnoError(errno, "syncing the folder of", key);
    // Some file systems cannot sync a folder (EINVAL); the object is written all the same.
    if (::fsync(fd.get()) != 0 && errno != EINVAL)
      return ErrnoError(errno, "syncing the folder of", key);
    return OkStatus();
  }

  const fs::path root_;
  const std::string public_base_;
  const std::string temp_prefix_;  // "<host>.<pid>."
  std::atomic<uint64_t> temp_counter_{0};
};

}  // namespace

Result<std::unique_ptr<ObjectStore>> OpenLocalObjectStore(const std::string& root_dir,
                                                          std::string public_base) {
  if (root_dir.empty()) return FailedPreconditionError("the local object store needs a folder");
  std::error_code ec;
  fs::path root = fs::absolute(root_dir, ec);
  if (!ec) fs::create_directories(root, ec);
  if (ec) {
    return FailedPreconditionError("cannot create the object store folder " + root_dir + ": " +
                                   ec.message());
  }
  if (!fs::is_directory(root, ec)) {
    return FailedPreconditionError("the object store folder " + root_dir + " is not a folder");
  }
  root = root.lexically_normal();
  if (!root.has_filename()) root = root.parent_path();  // "/srv/media/" -> "/srv/media"
  fs::create_directories(root / kTempFolder, ec);
  if (ec) {
    return FailedPreconditionError("cannot create " + (root / kTempFolder).string() + ": " +
                                   ec.message());
  }
  const std::string host = HostName();
  SweepTemporaries(root / kTempFolder, host);
  while (!public_base.empty() && public_base.back() == '/') public_base.pop_back();
  return std::unique_ptr<ObjectStore>(std::make_unique<LocalObjectStore>(
      std::move(root), std::move(public_base), host + "." + std::to_string(::getpid()) + "."));
}

}  // namespace enhancer
