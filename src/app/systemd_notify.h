// SystemdNotifier: tells systemd (Type=notify) when the service is ready, that it is alive
// (WatchdogSec=), and that it is stopping — the sd_notify protocol, a datagram to
// $NOTIFY_SOCKET, written here because it is a dozen lines and needs no libsystemd.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace enhancer {

class SystemdNotifier {
 public:
  // `notify_socket` is $NOTIFY_SOCKET (empty: not under systemd, every call does nothing);
  // `watchdog` is $WATCHDOG_USEC (zero: no watchdog).
  SystemdNotifier(std::string notify_socket, std::chrono::microseconds watchdog);
  ~SystemdNotifier();

  // Sends READY=1 and, with a watchdog, starts sending WATCHDOG=1 at half its interval for as
  // long as `alive()` says so (a wedged service is then restarted by systemd).
  void Ready(std::function<bool()> alive);
  // Sends STOPPING=1 and stops the watchdog.
  void Stopping();

  // Sends one state string; false when there is no socket or it fails.
  bool Send(const std::string& state) const;

 private:
  std::string socket_;
  std::chrono::microseconds watchdog_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread pinger_;
};

}  // namespace enhancer
