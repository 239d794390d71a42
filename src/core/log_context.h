// LogContext: what the current thread is working on (a product, a queue message), so that every
// log line of a job can say so without each call site repeating it.
#pragma once

#include <cstdint>
#include <string>

namespace enhancer {

struct LogContext {
  int64_t product_id = 0;  // 0: none
  std::string message_id;  // empty: none
};

// The calling thread's context. Never null.
const LogContext& CurrentLogContext();

// Sets fields of the calling thread's context for this object's lifetime, then restores them.
class ScopedLogContext {
 public:
  explicit ScopedLogContext(std::string message_id);
  // Adds the product once it is known (the message body names it).
  void SetProduct(int64_t product_id);
  ~ScopedLogContext();
  ScopedLogContext(const ScopedLogContext&) = delete;
  ScopedLogContext& operator=(const ScopedLogContext&) = delete;

 private:
  LogContext saved_;
};

}  // namespace enhancer
