#include "plan/gemini_model_check.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "plan/gemini_endpoint.h"
#include "plan/gemini_error.h"

namespace enhancer {
namespace {

using Json = nlohmann::json;

constexpr std::chrono::milliseconds kTimeout{15000};
constexpr int kPageSize = 1000;  // the largest page the service gives
constexpr int kMaxPages = 50;    // a server that pages forever is a bug, not a long list
constexpr size_t kMaxSuggestions = 5;
constexpr std::string_view kFlashAlias = "gemini-flash-latest";
constexpr std::string_view kGenerateContent = "generateContent";

struct ModelEntry {
  std::string name;  // without "models/"
  std::vector<std::string> methods;
  bool has_methods = false;  // the entry lists supportedGenerationMethods at all

  bool CanGenerate() const {
    return std::find(methods.begin(), methods.end(), kGenerateContent) != methods.end();
  }
};

ModelEntry ReadEntry(const Json& json) {
  ModelEntry entry;
  if (!json.is_object()) return entry;
  auto name = json.find("name");
  if (name != json.end() && name->is_string()) {
    entry.name = std::string(StripModelsPrefix(name->get<std::string>()));
  }
  auto methods = json.find("supportedGenerationMethods");
  if (methods != json.end() && methods->is_array()) {
    entry.has_methods = true;
    for (const Json& m : *methods) {
      if (m.is_string()) entry.methods.push_back(m.get<std::string>());
    }
  }
  return entry;
}

std::string Join(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

// "models that do: gemini-2.5-flash, gemini-2.0-flash and the alias gemini-flash-latest".
std::string Suggestions(const std::vector<ModelEntry>& models) {
  std::vector<std::string> flash;
  std::vector<std::string> other;
  for (const ModelEntry& m : models) {
    if (!m.CanGenerate() || m.name == kFlashAlias) continue;
    (m.name.find("flash") != std::string::npos ? flash : other).push_back(m.name);
  }
  std::vector<std::string>& pick = flash.empty() ? other : flash;
  if (pick.size() > kMaxSuggestions) pick.resize(kMaxSuggestions);
  std::string text = "models that do: ";
  if (!pick.empty()) text += Join(pick) + " and ";
  return text + "the alias " + std::string(kFlashAlias);
}

class ModelCheck {
 public:
  ModelCheck(HttpClient& http, std::string_view base_url, std::string_view api_key,
             std::stop_token stop)
      : http_(http), endpoint_(base_url, std::string(api_key)), stop_(std::move(stop)) {}

  // Every model the key can see, in the service's order.
  Result<std::vector<ModelEntry>> List() {
    std::vector<ModelEntry> models;
    std::string token;
    for (int page = 0; page < kMaxPages; ++page) {
      std::string path = "models?pageSize=" + std::to_string(kPageSize);
      if (!token.empty()) path += "&pageToken=" + PercentEncode(token);
      Result<Json> json = GetJson(path, "Gemini models.list");
      if (!json) return json.error();
      auto list = json->find("models");
      if (list != json->end() && list->is_array()) {
        for (const Json& item : *list) models.push_back(ReadEntry(item));
      }
      auto next = json->find("nextPageToken");
      token = next != json->end() && next->is_string() ? next->get<std::string>() : "";
      if (token.empty()) return models;
    }
    return UnavailableError("Gemini models.list: still more pages after " +
                            std::to_string(kMaxPages) + "; giving up");
  }

  // The model's own entry; NotFound when the service answers 404.
  Result<ModelEntry> Get(std::string_view model) {
    Result<Json> json = GetJson("models/" + std::string(model), "Gemini models.get");
    if (!json) return json.error();
    return ReadEntry(*json);
  }

 private:
  Result<Json> GetJson(const std::string& path, std::string_view what) {
    Result<HttpResponse> response = http_.Send(endpoint_.Get(path, kTimeout), stop_);
    if (!response) {
      const Status& e = response.error();
      return Status(e.code(), RedactSecret(e.WithContext(what).message(), endpoint_.api_key()));
    }
    if (response->status != 200) {
      return GeminiErrorStatus(
          ParseGeminiError(response->status, response->body, endpoint_.api_key()), what);
    }
    Json json = Json::parse(response->body, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object()) {
      return UnavailableError(std::string(what) + ": the answer is not a JSON object");
    }
    return json;
  }

  HttpClient& http_;
  const GeminiEndpoint endpoint_;
  const std::stop_token stop_;
};

Status CannotGenerate(std::string_view model, const ModelEntry& entry,
                      const std::vector<ModelEntry>& models) {
  return FailedPreconditionError(
      "Gemini model \"" + std::string(model) + "\" cannot generateContent (it supports: " +
      (entry.methods.empty() ? "nothing" : Join(entry.methods)) + "); " + Suggestions(models));
}

}  // namespace

Status CheckGeminiModel(HttpClient& http, std::string_view base_url, std::string_view api_key,
                        std::string_view model, std::stop_token stop) {
  ENHANCER_RETURN_IF_ERROR(ValidateGeminiBaseUrl(base_url));
  model = StripModelsPrefix(model);
  ENHANCER_RETURN_IF_ERROR(ValidateGeminiModelName(model));

  ModelCheck check(http, base_url, api_key, std::move(stop));
  Result<std::vector<ModelEntry>> models = check.List();
  if (!models) return models.error();
  for (const ModelEntry& entry : *models) {
    if (entry.name != model) continue;
    if (!entry.CanGenerate()) return CannotGenerate(model, entry, *models);
    spdlog::info("Gemini model {} is available", model);
    return OkStatus();
  }

  // Not listed: aliases may still answer on their own.
  Result<ModelEntry> entry = check.Get(model);
  if (!entry) {
    if (entry.error().code() != StatusCode::kNotFound) return entry.error();
    return NotFoundError("Gemini model \"" + std::string(model) +
                         "\" does not exist (retired or misspelt); " + Suggestions(*models));
  }
  if (entry->has_methods && !entry->CanGenerate()) {
    return CannotGenerate(model, *entry, *models);
  }
  spdlog::info("Gemini model {} is available (not in the model list; it answers by name)", model);
  return OkStatus();
}

}  // namespace enhancer
