// RendererWrapper: a Renderer that forwards every call to another one. Derive from it and
// override only the calls to observe or to fail (leveldb's EnvWrapper), e.g. to inject faults in
// tests.
#pragma once

#include "render/renderer.h"

namespace enhancer {

class RendererWrapper : public Renderer {
 public:
  // `target` is not owned and must outlive the wrapper.
  explicit RendererWrapper(Renderer& target) : target_(target) {}

  Result<std::unique_ptr<PreparedPhoto>> Prepare(std::string_view encoded) override {
    return target_.Prepare(encoded);
  }
  Result<RenderedImage> Render(const PreparedPhoto& photo, const Recipe& recipe,
                               std::stop_token stop) override {
    return target_.Render(photo, recipe, stop);
  }

  Renderer& target() const { return target_; }

 private:
  Renderer& target_;
};

}  // namespace enhancer
