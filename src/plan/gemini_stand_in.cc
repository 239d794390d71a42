#include "plan/gemini_stand_in.h"

#include <algorithm>
#include <array>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <utility>

#include "core/base64.h"
#include "net/loopback_http_server.h"

namespace enhancer::gemini_test {
namespace {

using Json = nlohmann::json;

constexpr const char* kRecipeFields[] = {"name",          "prompt",  "black_point",   "white_point",
                                         "white_balance", "gamma",   "contrast",      "saturation",
                                         "denoise",       "sharpen", "sharpen_radius"};
constexpr const char* kNames[] = {"faithful", "bright-airy", "crisp", "warm",  "soft",
                                  "high-key", "punchy",      "cool",  "matte", "vivid"};

// Google's error body: {"error": {"code", "message", "status", "details"}}.
std::string ErrorBody(int code, const std::string& status, const std::string& message,
                      Json details = Json::array()) {
  Json error = {{"code", code}, {"message", message}, {"status", status}};
  if (!details.empty()) error["details"] = std::move(details);
  return Json{{"error", std::move(error)}}.dump();
}

Json ErrorInfo(const std::string& reason) {
  return {{"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
          {"reason", reason},
          {"domain", "googleapis.com"},
          {"metadata", {{"service", "generativelanguage.googleapis.com"}}}};
}

Json QuotaFailure(const std::string& quota_id, const std::string& model) {
  Json violation = {
      {"quotaMetric", "generativelanguage.googleapis.com/generate_content_free_tier_requests"},
      {"quotaId", quota_id},
      {"quotaDimensions", {{"location", "global"}, {"model", model}}},
      {"quotaValue", "250"}};
  return {{"@type", "type.googleapis.com/google.rpc.QuotaFailure"},
          {"violations", Json::array({violation})}};
}

Json RetryInfo(const std::string& delay) {
  return {{"@type", "type.googleapis.com/google.rpc.RetryInfo"}, {"retryDelay", delay}};
}

const Json* Find(const Json& object, std::initializer_list<const char*> keys) {
  if (!object.is_object()) return nullptr;
  for (const char* key : keys) {
    auto it = object.find(key);
    if (it != object.end()) return &*it;
  }
  return nullptr;
}

bool Is(const Json* json, const char* value) { return json != nullptr && *json == value; }

// Proto JSON writes int64 as a string, but a number is accepted too.
std::optional<int64_t> Int64(const Json* json) {
  if (json == nullptr) return std::nullopt;
  if (json->is_number_integer()) return json->get<int64_t>();
  if (json->is_string()) {
    const std::string& s = json->get_ref<const std::string&>();
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return std::stoll(s);
  }
  return std::nullopt;
}

// The generationConfig of a request for an image: modalities TEXT and IMAGE, no JSON.
std::string CheckImageConfig(const Json& config, const Json& modalities, StandInRequest& request) {
  if (!modalities.is_array()) return "generationConfig.responseModalities must be an array";
  bool image = false;
  for (const Json& modality : modalities) {
    if (modality != "TEXT" && modality != "IMAGE") {
      return "responseModalities may hold only TEXT and IMAGE, got " + modality.dump();
    }
    image = image || modality == "IMAGE";
  }
  if (!image) return "responseModalities must include IMAGE";
  if (Find(config, {"responseMimeType", "response_mime_type"}) != nullptr ||
      Find(config, {"responseSchema", "response_schema"}) != nullptr) {
    return "an image request must not ask for JSON";
  }
  // As the real service: only image models answer with images.
  if (request.model.find("image") == std::string::npos) {
    return "model " + request.model + " does not support the response modality IMAGE";
  }
  request.image_request = true;
  return "";
}

// Checks a generateContent body; returns what is wrong, or "" and fills `request`.
std::string CheckGenerateBody(StandInRequest& request) {
  if (request.content_type.rfind("application/json", 0) != 0) {
    return "Content-Type must be application/json, got \"" + request.content_type + "\"";
  }
  Json body = Json::parse(request.body, nullptr, false);
  if (!body.is_object()) return "the body is not a JSON object";
  const Json* contents = Find(body, {"contents"});
  if (contents == nullptr || !contents->is_array() || contents->empty()) {
    return "contents must be a non-empty array";
  }
  const Json* parts = Find((*contents)[0], {"parts"});
  if (parts == nullptr || !parts->is_array()) return "contents[0].parts must be an array";
  int image_at = -1;
  int text_at = -1;
  for (size_t i = 0; i < parts->size(); ++i) {
    const Json& part = (*parts)[i];
    if (const Json* inline_data = Find(part, {"inline_data", "inlineData"})) {
      if (image_at >= 0) return "more than one inline image";
      image_at = static_cast<int>(i);
      const Json* mime = Find(*inline_data, {"mime_type", "mimeType"});
      if (!Is(mime, "image/jpeg")) return "inline_data.mime_type must be image/jpeg";
      const Json* data = Find(*inline_data, {"data"});
      if (data == nullptr || !data->is_string()) return "inline_data.data must be a string";
      std::optional<std::string> jpeg = Base64Decode(data->get<std::string>());
      if (!jpeg) return "inline_data.data is not valid base64";
      if (jpeg->size() < 4 || jpeg->compare(0, 3, "\xFF\xD8\xFF") != 0 ||
          jpeg->compare(jpeg->size() - 2, 2, "\xFF\xD9") != 0) {
        return "inline_data.data is not a JPEG";
      }
    } else if (const Json* text = Find(part, {"text"})) {
      if (text_at < 0 && text->is_string()) {
        text_at = static_cast<int>(i);
        request.prompt = text->get<std::string>();
      }
    }
  }
  if (image_at < 0) return "no inline image part";
  if (text_at < 0) return "no text part";
  if (image_at > text_at) return "the image part must come before the text part";

  const Json* config = Find(body, {"generationConfig", "generation_config"});
  if (config == nullptr) return "no generationConfig";
  if (const Json* modalities = Find(*config, {"responseModalities", "response_modalities"})) {
    return CheckImageConfig(*config, *modalities, request);
  }
  const Json* mime = Find(*config, {"responseMimeType", "response_mime_type"});
  if (!Is(mime, "application/json")) {
    return "generationConfig.responseMimeType must be application/json";
  }
  const Json* schema = Find(*config, {"responseSchema", "response_schema"});
  if (schema == nullptr || !schema->is_object()) return "no generationConfig.responseSchema";
  if (!Is(Find(*schema, {"type"}), "OBJECT")) {
    return "responseSchema.type must be OBJECT";
  }
  const Json* properties = Find(*schema, {"properties"});
  const Json* recipes = properties ? Find(*properties, {"recipes"}) : nullptr;
  if (recipes == nullptr || !Is(Find(*recipes, {"type"}), "ARRAY")) {
    return "responseSchema.properties.recipes must be an ARRAY";
  }
  std::optional<int64_t> min_items = Int64(Find(*recipes, {"minItems", "min_items"}));
  std::optional<int64_t> max_items = Int64(Find(*recipes, {"maxItems", "max_items"}));
  if (!min_items || !max_items || *min_items != *max_items || *min_items < 1) {
    return "recipes must have minItems = maxItems >= 1";
  }
  request.count = static_cast<int>(*min_items);
  const Json* items = Find(*recipes, {"items"});
  const Json* fields = items ? Find(*items, {"properties"}) : nullptr;
  if (fields == nullptr || !Is(Find(*items, {"type"}), "OBJECT")) {
    return "recipes.items must be an OBJECT with properties";
  }
  for (const char* field : kRecipeFields) {
    const Json* f = Find(*fields, {field});
    if (f == nullptr) return std::string("the recipe schema lacks ") + field;
    if (Is(Find(*f, {"type"}), "NUMBER") &&
        (Find(*f, {"minimum"}) == nullptr || Find(*f, {"maximum"}) == nullptr)) {
      return std::string("the recipe schema gives ") + field + " no minimum and maximum";
    }
  }
  return "";
}

// PNG's CRC-32 (ISO 3309), bitwise: the stand-in writes a few small images.
uint32_t Crc32(std::string_view bytes, uint32_t crc = 0) {
  crc = ~crc;
  for (char c : bytes) {
    crc ^= static_cast<unsigned char>(c);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::string BigEndian32(uint32_t value) {
  return {static_cast<char>(value >> 24), static_cast<char>(value >> 16 & 0xFF),
          static_cast<char>(value >> 8 & 0xFF), static_cast<char>(value & 0xFF)};
}

std::string PngChunk(const std::string& type, const std::string& data) {
  return BigEndian32(static_cast<uint32_t>(data.size())) + type + data +
         BigEndian32(Crc32(data, Crc32(type)));
}

// A zlib stream of `raw` in stored (uncompressed) deflate blocks: no compressor needed.
std::string StoredZlib(const std::string& raw) {
  std::string out = "\x78\x01";
  size_t at = 0;
  do {
    const size_t n = std::min<size_t>(raw.size() - at, 65535);
    const bool last = at + n == raw.size();
    out += static_cast<char>(last ? 1 : 0);
    out += static_cast<char>(n & 0xFF);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(~n & 0xFF);
    out += static_cast<char>(~n >> 8 & 0xFF);
    out += raw.substr(at, n);
    at += n;
  } while (at < raw.size());
  uint32_t a = 1, b = 0;  // Adler-32
  for (char c : raw) {
    a = (a + static_cast<unsigned char>(c)) % 65521;
    b = (b + a) % 65521;
  }
  return out + BigEndian32(b << 16 | a);
}

std::string PngHeader(uint32_t width, uint32_t height) {
  // 8-bit RGB, deflate, adaptive filtering, no interlace.
  return "\x89PNG\r\n\x1a\n" + PngChunk("IHDR", BigEndian32(width) + BigEndian32(height) +
                                                    std::string("\x08\x02\0\0\0", 5));
}

// An 8-bit RGB PNG of one colour.
std::string SolidPng(int width, int height, std::array<uint8_t, 3> rgb) {
  std::string row(1, '\0');  // filter type None
  for (int x = 0; x < width; ++x)
    row.append({static_cast<char>(rgb[0]), static_cast<char>(rgb[1]), static_cast<char>(rgb[2])});
  std::string raw;
  for (int y = 0; y < height; ++y) raw += row;
  return PngHeader(width, height) + PngChunk("IDAT", StoredZlib(raw)) + PngChunk("IEND", "");
}

// A decompression bomb's first bytes: a header claiming 20000 x 20000 pixels over one row of
// data. Only a decoder that trusts the header before checking the pixel budget would suffer.
std::string OversizedPng() {
  return PngHeader(kStandInOversizedSide, kStandInOversizedSide) +
         PngChunk("IDAT", StoredZlib(std::string(1 + 3 * kStandInOversizedSide, '\0'))) +
         PngChunk("IEND", "");
}

Json InlineImage(const std::string& mime_type, std::string_view bytes) {
  return {{"inlineData", {{"mimeType", mime_type}, {"data", Base64Encode(bytes)}}}};
}

Json MakeRecipe(int i) {
  const double t = i / 10.0;
  return {{"name", kNames[i % 10]},
          {"prompt", std::string("Variant ") + kNames[i % 10] + " for this product."},
          {"black_point", 0.02 + 0.01 * i},
          {"white_point", 0.98 - 0.01 * i},
          {"white_balance", {1.0 + 0.02 * t, 1.0, 1.0 - 0.02 * t}},
          {"gamma", 1.0 + 0.05 * i},
          {"contrast", 1.0 + 0.03 * i},
          {"saturation", 1.0 + 0.04 * i},
          {"denoise", 0.1},
          {"sharpen", 0.3 + 0.05 * i},
          {"sharpen_radius", 1.0}};
}

std::string RecipesText(int count) {
  Json list = Json::array();
  for (int i = 0; i < count; ++i) list.push_back(MakeRecipe(i));
  return Json{{"recipes", std::move(list)}}.dump();
}

std::string MessyRecipesText(int count) {
  Json list = Json::array();
  for (int i = 0; i < count; ++i) {
    list.push_back({{"name", "Warm Look!"},
                    {"prompt", "Line one.\nLine two."},
                    {"black_point", -1.0},
                    {"white_point", 0.1},
                    {"white_balance", {5.0, 0.0, 1.0}},
                    {"gamma", 9.0},
                    {"contrast", 1.0},
                    {"saturation", 3.0},
                    {"denoise", 0.0},
                    {"sharpen", 10.0},
                    {"sharpen_radius", 0.0}});
  }
  return Json{{"recipes", std::move(list)}}.dump();
}

Json Usage() {
  return {{"promptTokenCount", kStandInPromptTokens},
          {"candidatesTokenCount", kStandInCandidatesTokens},
          {"totalTokenCount", kStandInTotalTokens},
          {"thoughtsTokenCount", kStandInThoughtsTokens},
          {"promptTokensDetails", Json::array({{{"modality", "TEXT"}, {"tokenCount", 1032}},
                                               {{"modality", "IMAGE"}, {"tokenCount", 258}}})}};
}

std::string AnswerWithParts(Json parts, const std::string& finish, const std::string& version) {
  Json candidate = {{"content", {{"role", "model"}, {"parts", std::move(parts)}}},
                    {"finishReason", finish},
                    {"index", 0}};
  return Json{{"candidates", Json::array({candidate})},
              {"usageMetadata", Usage()},
              {"modelVersion", version},
              {"responseId", "stand-in-response"}}
      .dump();
}

std::string Answer(const std::string& text, const std::string& finish, const std::string& version) {
  return AnswerWithParts(Json::array({{{"text", text}}}), finish, version);
}

// An image model's answer: a thought with an interim image (a different colour, which must not
// be taken), a comment, then `image` as an inline PNG.
std::string ImageAnswer(std::string_view image, const std::string& version) {
  Json thought_text = {{"text", "**Planning the edit** Lifting the shadows."}, {"thought", true}};
  Json thought_image = InlineImage("image/png", SolidPng(48, 32, {255, 0, 0}));
  thought_image["thought"] = true;
  return AnswerWithParts(Json::array({thought_text,
                                      thought_image,
                                      {{"text", "Here is the enhanced photo."}},
                                      InlineImage("image/png", image)}),
                         "STOP", version);
}

}  // namespace

std::string StandInImagePng() {
  return SolidPng(kStandInImageWidth, kStandInImageHeight, kStandInImageColour);
}

struct GeminiStandIn::State {
  explicit State(std::string key) : api_key(std::move(key)) {}

  const std::string api_key;
  LoopbackHttpServer server;

  mutable std::mutex mu;
  std::deque<GeminiReply> script;                  // guarded by mu
  std::string retry_delay = "17s";                 // guarded by mu
  std::string model_version = "gemini-2.5-flash";  // guarded by mu
  std::vector<StandInModel> models = {
      {"gemini-2.5-flash"},
      {"gemini-2.5-pro"},
      {"gemini-2.0-flash"},
      {"gemini-2.5-flash-lite"},
      {"text-embedding-004", {"embedContent"}},
  };                                                           // guarded by mu
  int page_size = 2;                                           // guarded by mu
  std::vector<std::string> aliases = {"gemini-flash-latest"};  // guarded by mu
  std::vector<StandInRequest> requests;                        // guarded by mu
  int generate_requests = 0;                                   // guarded by mu
  std::chrono::milliseconds latency{0};                        // guarded by mu

  // Records the request and checks the key; false (and `res` set) when refused.
  bool Admit(const httplib::Request& req, httplib::Response& res, StandInRequest& recorded) {
    recorded.method = req.method;
    recorded.path = req.path;
    for (const auto& [name, value] : req.params) {
      recorded.query += (recorded.query.empty() ? "" : "&") + name + "=" + value;
    }
    recorded.api_key_header = req.get_header_value("x-goog-api-key");
    recorded.content_type = req.get_header_value("Content-Type");
    recorded.body = req.body;
    if (req.has_param("key")) {
      recorded.problem = "the key was sent in the URL";
      res.status = 400;
      res.set_content(ErrorBody(400, "INVALID_ARGUMENT", "stand-in: " + recorded.problem),
                      "application/json");
      return false;
    }
    if (recorded.api_key_header.empty()) {
      recorded.problem = "no x-goog-api-key header";
      res.status = 403;
      res.set_content(
          ErrorBody(403, "PERMISSION_DENIED",
                    "Method doesn't allow unregistered callers (callers without established "
                    "identity). Please use API Key or other form of API consumer identity to "
                    "call this API.",
                    Json::array({ErrorInfo("SERVICE_DISABLED")})),
          "application/json");
      return false;
    }
    if (recorded.api_key_header != api_key) {
      recorded.problem = "a wrong API key";
      res.status = 400;
      // Google's DebugInfo quotes the refused key: callers must not pass it on.
      Json debug = {{"@type", "type.googleapis.com/google.rpc.DebugInfo"},
                    {"detail", "Invalid API key: " + recorded.api_key_header}};
      res.set_content(
          ErrorBody(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.",
                    Json::array({ErrorInfo("API_KEY_INVALID"), debug})),
          "application/json");
      return false;
    }
    return true;
  }

  // Under mu.
  bool KnownModel(const std::string& model) const {
    for (const StandInModel& m : models) {
      if (m.name == model) return true;
    }
    return std::find(aliases.begin(), aliases.end(), model) != aliases.end();
  }

  static void NotFound(httplib::Response& res, const std::string& model) {
    res.status = 404;
    res.set_content(ErrorBody(404, "NOT_FOUND",
                              "models/" + model +
                                  " is not found for API version v1beta, or is not supported for "
                                  "generateContent. Call ListModels to see the list of available "
                                  "models and their supported methods."),
                    "application/json");
  }

  void Generate(const httplib::Request& req, httplib::Response& res) {
    StandInRequest recorded;
    recorded.model = req.matches[1];
    std::lock_guard lock(mu);
    ++generate_requests;
    if (!Admit(req, res, recorded)) return requests.push_back(std::move(recorded));
    recorded.problem = CheckGenerateBody(recorded);
    if (!recorded.problem.empty()) {
      res.status = 400;
      res.set_content(ErrorBody(400, "INVALID_ARGUMENT", "stand-in: " + recorded.problem),
                      "application/json");
      return requests.push_back(std::move(recorded));
    }
    GeminiReply reply = recorded.image_request ? GeminiReply::kImage : GeminiReply::kRecipes;
    if (!script.empty()) {
      reply = script.front();
      script.pop_front();
    }
    if (!KnownModel(recorded.model)) reply = GeminiReply::kModelNotFound;
    Reply(reply, recorded, res);
    requests.push_back(std::move(recorded));
  }

  // Under mu.
  void Reply(GeminiReply reply, const StandInRequest& request, httplib::Response& res) {
    const int n = request.count;
    res.status = 200;
    std::string body;
    switch (reply) {
      case GeminiReply::kRecipes:
        body = Answer(RecipesText(n), "STOP", model_version);
        break;
      case GeminiReply::kWrongCount:
        body = Answer(RecipesText(n + 1), "STOP", model_version);
        break;
      case GeminiReply::kNotJson:
        body = Answer("Here are some ideas: brighten the photo and warm it up a little.", "STOP",
                      model_version);
        break;
      case GeminiReply::kFencedJson:
        body = Answer("Here are the recipes:\n```json\n" + RecipesText(n) + "\n```\nEnjoy.", "STOP",
                      model_version);
        break;
      case GeminiReply::kMessyRecipes:
        body = Answer(MessyRecipesText(n), "STOP", model_version);
        break;
      case GeminiReply::kMaxTokens:
        body = Answer(RecipesText(n).substr(0, 40), "MAX_TOKENS", model_version);
        break;
      case GeminiReply::kImage:
        body = ImageAnswer(StandInImagePng(), model_version);
        break;
      case GeminiReply::kTextOnly:
        body = Answer(
            "I can't edit this photo as asked, but here are some tips: brighten the midtones and "
            "warm the white balance slightly.",
            "STOP", model_version);
        break;
      case GeminiReply::kNotAnImage:
        body = AnswerWithParts(
            Json::array({{{"text", "Here is the enhanced photo."}},
                         InlineImage("image/png",
                                     "<!DOCTYPE html><html><head><title>502 Bad Gateway</title>"
                                     "</head><body><h1>Bad Gateway</h1></body></html>")}),
            "STOP", model_version);
        break;
      case GeminiReply::kOversizedImage:
        body = ImageAnswer(OversizedPng(), model_version);
        break;
      case GeminiReply::kSafetyBlock:
        body =
            Json{{"promptFeedback",
                  {{"blockReason", "SAFETY"},
                   {"safetyRatings", Json::array({{{"category", "HARM_CATEGORY_DANGEROUS_CONTENT"},
                                                   {"probability", "HIGH"}}})}}},
                 {"usageMetadata",
                  {{"promptTokenCount", kStandInPromptTokens},
                   {"totalTokenCount", kStandInPromptTokens}}},
                 {"modelVersion", model_version}}
                .dump();
        break;
      case GeminiReply::kRateLimited:
        res.status = 429;
        body = ErrorBody(
            429, "RESOURCE_EXHAUSTED",
            "You exceeded your current quota, please check your plan and billing details.",
            Json::array({QuotaFailure("GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                                      request.model),
                         RetryInfo(retry_delay)}));
        break;
      case GeminiReply::kDailyQuota:
        res.status = 429;
        body = ErrorBody(
            429, "RESOURCE_EXHAUSTED",
            "You exceeded your current quota, please check your plan and billing details.",
            Json::array(
                {QuotaFailure("GenerateRequestsPerDayPerProjectPerModel-FreeTier", request.model),
                 RetryInfo(retry_delay)}));
        break;
      case GeminiReply::kServerError:
        res.status = 500;
        body = ErrorBody(500, "INTERNAL", "An internal error has occurred. Please retry.");
        break;
      case GeminiReply::kUnavailable:
        res.status = 503;
        body = ErrorBody(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
        break;
      case GeminiReply::kGatewayTimeout:
        res.status = 504;
        body = ErrorBody(504, "DEADLINE_EXCEEDED",
                         "Deadline expired before operation could complete.");
        break;
      case GeminiReply::kModelNotFound:
        NotFound(res, request.model);
        return;
      case GeminiReply::kEchoKeyError:
        res.status = 400;
        body = ErrorBody(400, "INVALID_ARGUMENT",
                         "Request with key " + request.api_key_header + " was malformed.");
        break;
    }
    res.set_content(body, "application/json");
  }

  void ListModels(const httplib::Request& req, httplib::Response& res) {
    StandInRequest recorded;
    std::lock_guard lock(mu);
    if (!Admit(req, res, recorded)) return requests.push_back(std::move(recorded));
    size_t size = static_cast<size_t>(page_size);
    if (req.has_param("pageSize")) {
      const std::string value = req.get_param_value("pageSize");
      if (!value.empty() && value.find_first_not_of("0123456789") == std::string::npos) {
        size = std::min<size_t>(size, std::max(1, std::stoi(value)));
      }
    }
    size_t offset = 0;
    if (req.has_param("pageToken")) {
      // Tokens hold characters that must be percent-encoded in a query: "page=2+/".
      const std::string token = req.get_param_value("pageToken");
      const std::string prefix = "page=";
      const std::string suffix = "+/";
      if (token.rfind(prefix, 0) != 0 || token.size() <= prefix.size() + suffix.size() ||
          token.compare(token.size() - suffix.size(), suffix.size(), suffix) != 0) {
        recorded.problem = "a page token that was not sent back as given: \"" + token + "\"";
        res.status = 400;
        res.set_content(ErrorBody(400, "INVALID_ARGUMENT", "Invalid page token."),
                        "application/json");
        return requests.push_back(std::move(recorded));
      }
      offset =
          std::stoul(token.substr(prefix.size(), token.size() - prefix.size() - suffix.size()));
    }
    Json list = Json::array();
    for (size_t i = offset; i < models.size() && i < offset + size; ++i) {
      list.push_back(ModelJson(models[i]));
    }
    Json body = {{"models", std::move(list)}};
    if (offset + size < models.size()) {
      body["nextPageToken"] = "page=" + std::to_string(offset + size) + "+/";
    }
    res.set_content(body.dump(), "application/json");
    requests.push_back(std::move(recorded));
  }

  void GetModel(const httplib::Request& req, httplib::Response& res) {
    StandInRequest recorded;
    recorded.model = req.matches[1];
    std::lock_guard lock(mu);
    if (!Admit(req, res, recorded)) return requests.push_back(std::move(recorded));
    const std::string& model = recorded.model;
    const StandInModel* found = nullptr;
    for (const StandInModel& m : models) {
      if (m.name == model) found = &m;
    }
    StandInModel alias{model};
    if (found == nullptr && std::find(aliases.begin(), aliases.end(), model) != aliases.end()) {
      found = &alias;
    }
    if (found == nullptr) {
      NotFound(res, model);
    } else {
      res.set_content(ModelJson(*found).dump(), "application/json");
    }
    requests.push_back(std::move(recorded));
  }

  void Unexpected(const httplib::Request& req, httplib::Response& res) {
    StandInRequest recorded;
    std::lock_guard lock(mu);
    Admit(req, res, recorded);
    recorded.problem = "unexpected " + req.method + " " + req.path;
    res.status = 404;
    res.set_content(ErrorBody(404, "NOT_FOUND", "stand-in: " + recorded.problem),
                    "application/json");
    requests.push_back(std::move(recorded));
  }

  static Json ModelJson(const StandInModel& m) {
    return {{"name", "models/" + m.name},
            {"displayName", m.name},
            {"inputTokenLimit", 1048576},
            {"outputTokenLimit", 65536},
            {"supportedGenerationMethods", m.methods}};
  }
};

GeminiStandIn::GeminiStandIn(std::string api_key)
    : state_(std::make_unique<State>(std::move(api_key))) {
  State& s = *state_;
  httplib::Server& server = s.server.server();
  server.Post(R"(/v1beta/models/([A-Za-z0-9._-]+):generateContent)",
              [&s](const httplib::Request& req, httplib::Response& res) {
                std::chrono::milliseconds latency;
                {
                  std::lock_guard lock(s.mu);
                  latency = s.latency;
                }
                std::this_thread::sleep_for(latency);  // outside the lock: answers overlap
                s.Generate(req, res);
              });
  server.Get(R"(/v1beta/models)",
             [&s](const httplib::Request& req, httplib::Response& res) { s.ListModels(req, res); });
  server.Get(R"(/v1beta/models/([A-Za-z0-9._-]+))",
             [&s](const httplib::Request& req, httplib::Response& res) { s.GetModel(req, res); });
  auto unexpected = [&s](const httplib::Request& req, httplib::Response& res) {
    s.Unexpected(req, res);
  };
  server.Get(R"(.*)", unexpected);
  server.Post(R"(.*)", unexpected);
  s.server.Start();
}

GeminiStandIn::~GeminiStandIn() { state_->server.Stop(); }

std::string GeminiStandIn::url() const { return state_->server.url(); }

void GeminiStandIn::Script(std::vector<GeminiReply> replies) {
  std::lock_guard lock(state_->mu);
  state_->script.assign(replies.begin(), replies.end());
}

void GeminiStandIn::SetRetryDelay(std::string delay) {
  std::lock_guard lock(state_->mu);
  state_->retry_delay = std::move(delay);
}

void GeminiStandIn::SetModelVersion(std::string version) {
  std::lock_guard lock(state_->mu);
  state_->model_version = std::move(version);
}

void GeminiStandIn::SetModels(std::vector<StandInModel> models, int page_size) {
  std::lock_guard lock(state_->mu);
  state_->models = std::move(models);
  state_->page_size = std::max(1, page_size);
}

void GeminiStandIn::SetLatency(std::chrono::milliseconds latency) {
  std::lock_guard lock(state_->mu);
  state_->latency = latency;
}

void GeminiStandIn::SetAliases(std::vector<std::string> aliases) {
  std::lock_guard lock(state_->mu);
  state_->aliases = std::move(aliases);
}

std::vector<StandInRequest> GeminiStandIn::requests() const {
  std::lock_guard lock(state_->mu);
  return state_->requests;
}

int GeminiStandIn::generate_requests() const {
  std::lock_guard lock(state_->mu);
  return state_->generate_requests;
}

}  // namespace enhancer::gemini_test
