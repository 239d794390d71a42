// Where a service's requests go: the AWS SDKs' endpoint variables, else the public AWS endpoint
// of the region.
#pragma once

#include <string>
#include <string_view>

#include "aws/aws_environment.h"
#include "core/status.h"

namespace enhancer {

// For `service` "sqs" or "s3" (any lowercase service id works):
//   1. AWS_ENDPOINT_URL_<SERVICE> (AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL_S3),
//   2. AWS_ENDPOINT_URL,
//   3. https://<service>.<region>.amazonaws.com (".amazonaws.com.cn" for cn- regions).
// Steps 1 and 2 are skipped when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is "true", as in the SDKs.
// The result has no trailing slash. InvalidArgument names the variable when its value is not an
// http(s) URL; FailedPrecondition when step 3 is reached with an empty region.
Result<std::string> ResolveEndpoint(std::string_view service, const AwsEnvironment& env,
                                    std::string_view region);

}  // namespace enhancer
