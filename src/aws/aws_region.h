// The AWS region a client signs for and sends to: from the environment and profile, or from the
// SQS queue URL the app was given.
#pragma once

#include <string>
#include <string_view>

#include "aws/aws_environment.h"
#include "core/status.h"

namespace enhancer {

// AWS_REGION, else AWS_DEFAULT_REGION, else the selected profile's `region` in the config (or
// credentials) file. NotFound, naming the variables, when none is set; FailedPrecondition when a
// shared file cannot be read.
Result<std::string> ResolveRegion(const AwsEnvironment& env);

// The region in an AWS SQS queue URL's host:
//   https://sqs.eu-west-1.amazonaws.com/123/q         -> eu-west-1
//   https://sqs.cn-north-1.amazonaws.com.cn/123/q     -> cn-north-1
//   https://sqs-fips.us-gov-west-1.amazonaws.com/1/q  -> us-gov-west-1
//   https://eu-west-1.queue.amazonaws.com/123/q       -> eu-west-1 (legacy)
//   https://queue.amazonaws.com/123/q                 -> us-east-1 (legacy)
//   https://vpce-0a1-b2.sqs.eu-west-1.vpce.amazonaws.com/123/q -> eu-west-1
// InvalidArgument for any other URL (an SQS-compatible server on localhost names no region:
// set AWS_REGION).
Result<std::string> RegionFromQueueUrl(std::string_view queue_url);

// True for names shaped like a region: "eu-west-1", "us-gov-west-1", "ap-southeast-4".
bool LooksLikeRegion(std::string_view name);

}  // namespace enhancer
