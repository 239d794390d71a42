// ObjectStoreWrapper: an ObjectStore that forwards every call to another one. Derive from it and
// override only the calls to observe or to fail (leveldb's EnvWrapper), e.g. to inject faults in
// tests.
#pragma once

#include "store/object_store.h"

namespace enhancer {

class ObjectStoreWrapper : public ObjectStore {
 public:
  // `target` is not owned and must outlive the wrapper.
  explicit ObjectStoreWrapper(ObjectStore& target) : target_(target) {}

  Status Put(std::string_view key, std::string_view bytes, std::string_view content_type) override {
    return target_.Put(key, bytes, content_type);
  }
  Result<std::string> Get(std::string_view key) override { return target_.Get(key); }
  Status Delete(std::string_view key) override { return target_.Delete(key); }
  std::string PublicUrl(std::string_view key) const override { return target_.PublicUrl(key); }
  std::string Describe() const override { return target_.Describe(); }

  ObjectStore& target() const { return target_; }

 private:
  ObjectStore& target_;
};

}  // namespace enhancer
