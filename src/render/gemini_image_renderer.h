// GeminiImageRenderer: the generative Renderer (RENDERER=gemini-image). Each recipe's prompt goes
// with the photo to a Gemini image model (generateContent, responseModalities TEXT and IMAGE).
// The image it returns is checked like any downloaded image — byte cap, magic bytes, pixel cap:
// the libvips renderer's own Prepare — and then fitted, padded and thumbnailed exactly as a
// libvips render, so stored images have the same sizes whichever renderer made them.
// Throttling and server errors are retried as the planner retries them (GeminiCall); an answer
// without a usable image (text only, a blocked or filtered answer, bytes that are not an
// acceptable image) is asked for once more, and then the recipe is rendered by libvips instead,
// with RenderedImage::note saying so. The API key travels only in the x-goog-api-key header and
// never appears in a log line or an error message.
#pragma once

#include <memory>
#include <stop_token>
#include <string>
#include <string_view>

#include "core/status.h"
#include "net/http_client.h"
#include "plan/gemini_call.h"
#include "plan/gemini_endpoint.h"
#include "render/renderer.h"

namespace enhancer {

// The planner's retry rules with room for image generation, which takes longer than a plan:
// 120 s an exchange, 300 s for one recipe's every try and both questions.
GeminiRetryPolicy GeminiImageRetryPolicy();

struct GeminiImageRendererOptions {
  std::string base_url = std::string(kGeminiDefaultBaseUrl);
  std::string api_key;   // required; a secret
  std::string model;     // required, e.g. "gemini-2.5-flash-image"; "models/" prefix allowed
  RenderOptions render;  // canvas, thumbnail, JPEG settings and input limits: the same for
                         // returned images, fallbacks and the photo itself
  // The photo is sent as a JPEG at most this many pixels on its longer side (and never larger
  // than it is): enough for an output of 1600 px, and it bounds the request's size and cost.
  // 256-4096.
  int max_request_side = 1536;
  GeminiRetryPolicy retry = GeminiImageRetryPolicy();

  // InvalidArgument naming the first field out of range (never quoting the key).
  Status Validate() const;
};

class GeminiImageRenderer final : public Renderer {
 public:
  // Validates `options` (InvalidArgument). `http` is not owned and must outlive the renderer.
  static Result<std::unique_ptr<GeminiImageRenderer>> Create(HttpClient& http,
                                                             GeminiImageRendererOptions options);
  // The same, owning the client (what the application wires: MakeCurlHttpClient()).
  static Result<std::unique_ptr<GeminiImageRenderer>> Create(std::unique_ptr<HttpClient> http,
                                                             GeminiImageRendererOptions options);

  // The libvips renderer's Prepare (the same checks and errors), plus the JPEG sent with every
  // recipe (EncodePreparedPhoto). Thread-safe.
  Result<std::unique_ptr<PreparedPhoto>> Prepare(std::string_view encoded) override;

  // One image-model call (two when the first answer has no usable image), or the libvips render
  // with a note. Thread-safe. Errors:
  //   InvalidArgument     a photo this renderer did not prepare; or Gemini refused the request;
  //   FailedPrecondition, NotFound, ResourceExhausted, Unavailable   as GeminiCall::Generate
  //                       (the key, the model, the quota, the service); not a reason to fall
  //                       back: the job is retried later or fails with the reason;
  //   Cancelled           `stop` was requested;
  //   Internal            libvips failed on a photo it had accepted.
  Result<RenderedImage> Render(const PreparedPhoto& photo, const Recipe& recipe,
                               std::stop_token stop) override;
  bool remote() const override { return true; }

  const GeminiImageRendererOptions& options() const { return options_; }

 private:
  GeminiImageRenderer(HttpClient& http, std::unique_ptr<HttpClient> owned_http,
                      GeminiImageRendererOptions options);

  // Checks, fits and pads an image the model returned; InvalidArgument when it is not an
  // acceptable image.
  Result<RenderedImage> RenderReturnedImage(std::string_view image, const Recipe& recipe,
                                            std::stop_token stop);

  const std::unique_ptr<HttpClient> owned_http_;  // may be null
  const GeminiImageRendererOptions options_;
  const std::string model_;  // without "models/"
  GeminiCall call_;
  const std::unique_ptr<Renderer> libvips_;
};

}  // namespace enhancer
