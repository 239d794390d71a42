#include "app/systemd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

namespace enhancer {

SystemdNotifier::SystemdNotifier(std::string notify_socket, std::chrono::microseconds watchdog)
    : socket_(std::move(notify_socket)), watchdog_(watchdog) {}

SystemdNotifier::~SystemdNotifier() { Stopping(); }

bool SystemdNotifier::Send(const std::string& state) const {
  if (socket_.empty()) return false;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_.size() >= sizeof(address.sun_path)) return false;
  std::memcpy(address.sun_path, socket_.data(), socket_.size());
  // An abstract socket is named with a leading '@', sent as a leading NUL.
  if (address.sun_path[0] == '@') address.sun_path[0] = '\0';
  socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_.size());
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  ssize_t sent = sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                        reinterpret_cast<const sockaddr*>(&address), length);
  close(fd);
  return sent == static_cast<ssize_t>(state.size());
}

void SystemdNotifier::Ready(std::function<bool()> alive) {
  Send("READY=1\nSTATUS=Processing the queue");
  if (socket_.empty() || watchdog_.count() <= 0) return;
  pinger_ = std::thread([this, alive = std::move(alive)] {
    std::unique_lock lock(mu_);
    while (!wake_.wait_for(lock, watchdog_ / 2, [this] { return stopping_; })) {
      if (!alive || alive()) Send("WATCHDOG=1");
    }
  });
}

void SystemdNotifier::Stopping() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (pinger_.joinable()) pinger_.join();
  Send("STOPPING=1");
}

}  // namespace enhancer
