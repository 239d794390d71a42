// GeminiStandIn: a loopback stand-in for the Gemini REST API, for tests (test-only; production
// code never links it). It speaks the wire format — paths, the x-goog-api-key header, Google's
// error bodies, camelCase answers — and checks what it is sent: the key only in the header, a
// JSON body whose first content holds a base64 JPEG inline part before the text part, and a
// generationConfig asking either for JSON with a response schema (a plan) or, from a model whose
// name says "image", for responseModalities TEXT and IMAGE (an image). It answers generateContent
// from a script the test sets, lists models with paging, and records every request.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace enhancer::gemini_test {

// How the stand-in answers one generateContent request that passed its checks.
enum class GeminiReply {
  kRecipes,         // 200: exactly the count the schema asks for, valid and within bounds
  kWrongCount,      // 200: one recipe more than asked
  kNotJson,         // 200: prose instead of JSON
  kFencedJson,      // 200: the right recipes inside a ```json fence, between prose
  kMessyRecipes,    // 200: the right count, numbers out of bounds, every name the same
  kMaxTokens,       // 200: finishReason MAX_TOKENS with the JSON cut off
  kSafetyBlock,     // 200: promptFeedback.blockReason SAFETY, no candidates
  kRateLimited,     // 429 RESOURCE_EXHAUSTED, per-minute QuotaFailure, RetryInfo retry_delay
  kDailyQuota,      // 429 RESOURCE_EXHAUSTED, per-day QuotaFailure (and a RetryInfo)
  kServerError,     // 500 INTERNAL
  kUnavailable,     // 503 UNAVAILABLE (overloaded)
  kGatewayTimeout,  // 504 DEADLINE_EXCEEDED
  kModelNotFound,   // 404 NOT_FOUND, as for a retired model
  kEchoKeyError,    // 400 INVALID_ARGUMENT whose message quotes the key it was sent
  // For image requests:
  kImage,           // 200: a thought (with an interim image), a comment, and StandInImagePng()
  kTextOnly,        // 200: text only, no image part
  kNotAnImage,      // 200: an inlineData part declared image/png that holds an HTML page
  kOversizedImage,  // 200: as kImage, but the PNG's header claims 20000 x 20000 pixels
};

// One request as received.
struct StandInRequest {
  std::string method;
  std::string path;
  std::string query;           // decoded "name=value" pairs joined by '&', in order
  std::string api_key_header;  // x-goog-api-key as sent
  std::string content_type;
  std::string body;
  std::string model;           // from the path, when it names one
  std::string prompt;          // the text part of a generateContent body
  int count = 0;               // recipes the response schema asks for (0 for an image request)
  bool image_request = false;  // asks for responseModalities IMAGE rather than JSON
  std::string problem;         // what the stand-in refused in the request; empty when it was fine
};

struct StandInModel {
  std::string name;  // without "models/"
  std::vector<std::string> methods = {"generateContent", "countTokens"};
};

// What every 200 generateContent answer reports in usageMetadata.
inline constexpr int64_t kStandInPromptTokens = 1290;
inline constexpr int64_t kStandInCandidatesTokens = 410;
inline constexpr int64_t kStandInThoughtsTokens = 230;
inline constexpr int64_t kStandInTotalTokens = 1930;

// The image kImage answers with: an 8-bit RGB PNG of one colour, wider than high, so a renderer
// must fit and pad it to a square.
inline constexpr int kStandInImageWidth = 300;
inline constexpr int kStandInImageHeight = 200;
inline constexpr std::array<uint8_t, 3> kStandInImageColour = {40, 120, 200};
std::string StandInImagePng();
// The side kOversizedImage's header claims.
inline constexpr int kStandInOversizedSide = 20000;

class GeminiStandIn {
 public:
  // Serves on 127.0.0.1 and a free port at once; accepts `api_key` only.
  explicit GeminiStandIn(std::string api_key);
  ~GeminiStandIn();
  GeminiStandIn(const GeminiStandIn&) = delete;
  GeminiStandIn& operator=(const GeminiStandIn&) = delete;

  // "http://127.0.0.1:<port>": the base URL.
  std::string url() const;

  // Answers to the next generateContent requests, in order; once used up, kRecipes (kImage for
  // image requests).
  void Script(std::vector<GeminiReply> replies);
  // The RetryInfo delay of kRateLimited and kDailyQuota, e.g. "17s".
  void SetRetryDelay(std::string delay);
  void SetModelVersion(std::string version);
  // The models GET /v1beta/models lists, `page_size` a page (the client's pageSize may lower
  // it). Defaults: a few Flash and Pro models and an embedding model, 2 a page.
  void SetModels(std::vector<StandInModel> models, int page_size);
  // Names GET /v1beta/models/{name} and generateContent accept without the list showing them.
  void SetAliases(std::vector<std::string> aliases);
  // Every generateContent answer comes this much later, as a remote model's would; requests
  // wait in parallel (for benchmarks: bench/e2e).
  void SetLatency(std::chrono::milliseconds latency);

  std::vector<StandInRequest> requests() const;
  // How many generateContent requests arrived.
  int generate_requests() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace enhancer::gemini_test
