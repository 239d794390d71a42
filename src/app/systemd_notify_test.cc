#include "app/systemd_notify.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>

namespace enhancer {
namespace {

// A datagram socket standing in for systemd's notify socket.
class NotifySocket {
 public:
  NotifySocket() {
    path_ = (std::filesystem::temp_directory_path() / ("enhancer_notify_" + std::to_string(getpid()))).string();
    unlink(path_.c_str());
    fd_ = socket(AF_UNIX, SOCK_DGRAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path_.c_str(), sizeof(address.sun_path) - 1);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    timeval timeout{10, 0};  // hang guard
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~NotifySocket() {
    close(fd_);
    unlink(path_.c_str());
  }
  std::string Receive() {
    char buf[512];
    ssize_t n = recv(fd_, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, n) : "";
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

TEST(SystemdNotifierTest, SendsReadyWatchdogAndStopping) {
  NotifySocket systemd;
  SystemdNotifier notifier(systemd.path(), std::chrono::milliseconds(100));
  notifier.Ready([] { return true; });
  EXPECT_EQ(systemd.Receive(), "READY=1\nSTATUS=Processing the queue");
  EXPECT_EQ(systemd.Receive(), "WATCHDOG=1");
  EXPECT_EQ(systemd.Receive(), "WATCHDOG=1");
  notifier.Stopping();
  // A last WATCHDOG=1 may still be queued ahead of it.
  std::string message = systemd.Receive();
  while (message == "WATCHDOG=1") message = systemd.Receive();
  EXPECT_EQ(message, "STOPPING=1");
}

TEST(SystemdNotifierTest, NoWatchdogPingWhileTheServiceIsNotAlive) {
  NotifySocket systemd;
  std::atomic<bool> alive{false};
  SystemdNotifier notifier(systemd.path(), std::chrono::milliseconds(100));
  notifier.Ready([&] { return alive.load(); });
  EXPECT_EQ(systemd.Receive(), "READY=1\nSTATUS=Processing the queue");
  alive = true;
  EXPECT_EQ(systemd.Receive(), "WATCHDOG=1");
  notifier.Stopping();
}

TEST(SystemdNotifierTest, DoesNothingOutsideSystemd) {
  SystemdNotifier notifier("", std::chrono::microseconds(0));
  EXPECT_FALSE(notifier.Send("READY=1"));
  notifier.Ready({});
  notifier.Stopping();
}

}  // namespace
}  // namespace enhancer
