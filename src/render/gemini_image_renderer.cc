#include "render/gemini_image_renderer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "plan/gemini_answer.h"
#include "plan/gemini_request.h"
#include "render/vips_renderer.h"

namespace enhancer {
namespace {

using std::chrono::milliseconds;

constexpr int kMinRequestSide = 256;
constexpr int kMaxRequestSide = 4096;
// A model's comment in a log line: enough to see a refusal, not a page of prose.
constexpr size_t kLoggedTextBytes = 160;

// A photo prepared by libvips, and the JPEG of it that goes with every recipe's request.
class GeminiPreparedPhoto final : public PreparedPhoto {
 public:
  GeminiPreparedPhoto(std::unique_ptr<PreparedPhoto> base, std::string jpeg)
      : base_(std::move(base)), jpeg_(std::move(jpeg)) {}

  const Preview& preview() const override { return base_->preview(); }
  const PhotoStatistics& statistics() const override { return base_->statistics(); }
  int source_width() const override { return base_->source_width(); }
  int source_height() const override { return base_->source_height(); }

  const PreparedPhoto& base() const { return *base_; }
  const std::string& jpeg() const { return jpeg_; }

 private:
  const std::unique_ptr<PreparedPhoto> base_;
  const std::string jpeg_;
};

std::string Excerpt(std::string_view text) {
  std::string out(text.substr(0, kLoggedTextBytes));
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text.size() > kLoggedTextBytes ? out + "..." : out;
}

}  // namespace

GeminiRetryPolicy GeminiImageRetryPolicy() {
  GeminiRetryPolicy policy;
  policy.timeout = milliseconds(120000);
  policy.deadline = milliseconds(300000);
  return policy;
}

Status GeminiImageRendererOptions::Validate() const {
  ENHANCER_RETURN_IF_ERROR(ValidateGeminiBaseUrl(base_url));
  ENHANCER_RETURN_IF_ERROR(ValidateGeminiApiKey(api_key));
  ENHANCER_RETURN_IF_ERROR(ValidateGeminiModelName(StripModelsPrefix(model)));
  ENHANCER_RETURN_IF_ERROR(ValidateRenderOptions(render));
  if (max_request_side < kMinRequestSide || max_request_side > kMaxRequestSide) {
    return InvalidArgumentError(
        "gemini-image max_request_side must be between " + std::to_string(kMinRequestSide) +
        " and " + std::to_string(kMaxRequestSide) + ", got " + std::to_string(max_request_side));
  }
  return retry.Validate();
}

Result<std::unique_ptr<GeminiImageRenderer>> GeminiImageRenderer::Create(
    HttpClient& http, GeminiImageRendererOptions options) {
  ENHANCER_RETURN_IF_ERROR(options.Validate());
  return std::unique_ptr<GeminiImageRenderer>(
      new GeminiImageRenderer(http, nullptr, std::move(options)));
}

Result<std::unique_ptr<GeminiImageRenderer>> GeminiImageRenderer::Create(
    std::unique_ptr<HttpClient> http, GeminiImageRendererOptions options) {
  if (http == nullptr) return InvalidArgumentError("gemini-image renderer needs an HTTP client");
  ENHANCER_RETURN_IF_ERROR(options.Validate());
  HttpClient& client = *http;
  return std::unique_ptr<GeminiImageRenderer>(
      new GeminiImageRenderer(client, std::move(http), std::move(options)));
}

GeminiImageRenderer::GeminiImageRenderer(HttpClient& http, std::unique_ptr<HttpClient> owned_http,
                                         GeminiImageRendererOptions options)
    : owned_http_(std::move(owned_http)),
      options_(std::move(options)),
      model_(StripModelsPrefix(options_.model)),
      call_(http, GeminiEndpoint(options_.base_url, options_.api_key), model_, options_.retry),
      libvips_(MakeVipsRenderer(options_.render)) {}

Result<std::unique_ptr<PreparedPhoto>> GeminiImageRenderer::Prepare(std::string_view encoded) {
  Result<std::unique_ptr<PreparedPhoto>> base = libvips_->Prepare(encoded);
  if (!base) return base.error();
  // The base may have been enlarged to the canvas; sending more pixels than the photo has would
  // only cost tokens.
  const int photo_side = std::max((*base)->source_width(), (*base)->source_height());
  Result<EncodedImage> jpeg =
      EncodePreparedPhoto(**base, std::min(options_.max_request_side, photo_side));
  if (!jpeg) return jpeg.error();
  return std::unique_ptr<PreparedPhoto>(
      std::make_unique<GeminiPreparedPhoto>(*std::move(base), std::move(jpeg->jpeg)));
}

Result<RenderedImage> GeminiImageRenderer::Render(const PreparedPhoto& photo, const Recipe& recipe,
                                                  std::stop_token stop) {
  if (stop.stop_requested()) return CancelledError("rendering was stopped");
  const auto* prepared = dynamic_cast<const GeminiPreparedPhoto*>(&photo);
  if (prepared == nullptr) {
    return InvalidArgumentError("the photo was not prepared by the gemini-image renderer");
  }
  const Recipe safe = RecipeFor(prepared->base(), recipe);
  // Nothing to ask a model for (the "before" image of `enhancer enhance`): the photo as it came.
  if (IsIdentity(safe)) return libvips_->Render(prepared->base(), safe, stop);
  const TimePoint deadline = call_.Deadline();

  std::vector<std::string> problems;
  // An answer without a usable image is asked for once more, told what was wrong.
  for (int ask = 1; ask <= 2; ++ask) {
    const std::string body = GeminiImageRequestBody(
        prepared->jpeg(), safe, problems.empty() ? std::string_view() : problems.back());
    Result<std::string> reply = call_.Generate(body, deadline, stop);
    if (!reply) return reply.error();
    GeminiImageAnswer answer = ReadGeminiImageAnswer(*reply);
    spdlog::info(
        "gemini-image: {} for {} from model {} (configured {}), tokens: {} prompt, {} "
        "answer, {} thinking, {} total",
        answer.problem.empty() ? answer.mime_type : "no image", safe.name,
        answer.model_version.empty() ? "unnamed" : answer.model_version, model_,
        answer.tokens.prompt, answer.tokens.candidates, answer.tokens.thoughts,
        answer.tokens.total);
    if (answer.problem.empty()) {
      Result<RenderedImage> rendered = RenderReturnedImage(answer.image, safe, stop);
      if (rendered || rendered.error().code() != StatusCode::kInvalidArgument) return rendered;
      answer.problem =
          "the returned " + answer.mime_type + " was refused: " + rendered.error().message();
    }
    spdlog::warn("gemini-image gave no usable image for {} ({}){}; {}", safe.name, answer.problem,
                 answer.text.empty() ? "" : ", it said: \"" + Excerpt(answer.text) + "\"",
                 ask == 1 ? "asking again" : "rendering with libvips");
    problems.push_back(answer.problem);
  }

  Result<RenderedImage> fallback = libvips_->Render(prepared->base(), safe, stop);
  if (!fallback) return fallback.error();
  std::string why = problems.front();
  if (problems.back() != problems.front()) why += "; then " + problems.back();
  fallback->note =
      "gemini-image gave no image for " + safe.name + " (" + why + "), rendered with libvips";
  return fallback;
}

Result<RenderedImage> GeminiImageRenderer::RenderReturnedImage(std::string_view image,
                                                               const Recipe& recipe,
                                                               std::stop_token stop) {
  // Generated bytes are untrusted input like any download: the same caps and sniffing.
  Result<std::unique_ptr<PreparedPhoto>> returned = libvips_->Prepare(image);
  if (!returned) return returned.error();
  // The model applied the enhancement; what is left is the canvas, padding and thumbnail, which
  // the identity recipe gives exactly as for any other render.
  Recipe identity;
  identity.name = recipe.name;
  identity.prompt = recipe.prompt;
  return libvips_->Render(**returned, identity, stop);
}

}  // namespace enhancer
