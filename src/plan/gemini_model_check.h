// CheckGeminiModel: the start-up check that the configured model exists and can
// generateContent. Model names move fast (the seed's gemini-1.5-flash is retired and answers
// 404), so a wrong name is found before the first product, with names that do exist.
#pragma once

#include <stop_token>
#include <string_view>

#include "core/status.h"
#include "net/http_client.h"

namespace enhancer {

// Lists GET {base}/v1beta/models (every page) and looks for `model` ("models/" prefix allowed).
// A name the list does not show (aliases such as gemini-flash-latest may be missing from it) is
// accepted when GET {base}/v1beta/models/{model} answers 200. Errors:
//   InvalidArgument     a base URL or model name that cannot be used as given;
//   NotFound            no such model (unknown or retired); the message names up to five Flash
//                       models that exist and the alias gemini-flash-latest;
//   FailedPrecondition  the model cannot generateContent, or the key or account is refused;
//   ResourceExhausted, Unavailable, DeadlineExceeded   the service could not answer now;
//   Cancelled           `stop` was requested.
// Messages never contain the key. Thread-safe if `http` is.
Status CheckGeminiModel(HttpClient& http, std::string_view base_url, std::string_view api_key,
                        std::string_view model, std::stop_token stop);

}  // namespace enhancer
