#include "core/log_context.h"

namespace enhancer {
namespace {

thread_local LogContext current;

}  // namespace

const LogContext& CurrentLogContext() { return current; }

ScopedLogContext::ScopedLogContext(std::string message_id) : saved_(current) {
  current.message_id = std::move(message_id);
}

void ScopedLogContext::SetProduct(int64_t product_id) { current.product_id = product_id; }

ScopedLogContext::~ScopedLogContext() { current = std::move(saved_); }

}  // namespace enhancer
