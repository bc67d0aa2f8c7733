mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::222222222222:role/sluice-aggregator-lambda" }
  }
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:eu-west-1:222222222222:function:sluice-aggregator" }
  }
  mock_resource "aws_sqs_queue" {
    defaults = { arn = "arn:aws:sqs:eu-west-1:222222222222:sluice-aggregator-on-failure" }
  }
  mock_resource "aws_dynamodb_table" {
    defaults = { arn = "arn:aws:dynamodb:eu-west-1:222222222222:table/sluice-device-windows" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:222222222222:log-group:/aws/lambda/sluice-aggregator" }
  }
  mock_resource "aws_security_group" {
    defaults = { id = "sg-poller" }
  }
}

variables {
  name                 = "sluice-aggregator"
  artifact_bucket_name = "sluice-artifacts-c"
  lambda_jar_s3_key    = "sluice-aggregator/0.1.0/sluice-aggregator-0.1.0-lambda.jar"
  table_name           = "sluice-device-windows"
  kms_key_arn          = "arn:aws:kms:eu-west-1:222222222222:key/11111111-2222-3333-4444-555555555555"
  event_source = {
    type                        = "self_managed"
    bootstrap_servers           = "b-1.sluice.abc.c2.kafka.eu-west-1.amazonaws.com:9096,b-2.sluice.abc.c2.kafka.eu-west-1.amazonaws.com:9096"
    secret_arn                  = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:AmazonMSK_sluice_aggregator-AbCdEf"
    vpc_id                      = "vpc-c"
    subnet_ids                  = ["subnet-a", "subnet-b"]
    broker_security_group_id    = "sg-broker-endpoints"
    endpoints_security_group_id = "sg-endpoints"
  }
}

run "self_managed_kafka_via_privatelink" {
  command = apply

  assert {
    condition     = contains(["java17", "java21"], aws_lambda_function.this.runtime) && aws_lambda_function.this.handler == "io.sluice.aggregator.lambda.KafkaEventHandler::handleRequest" && aws_lambda_function.this.s3_key == var.lambda_jar_s3_key
    error_message = "Java 17/21 function from the aggregator jar with the Sluice handler."
  }
  assert {
    condition     = aws_dynamodb_table.this.hash_key == "device_id" && aws_dynamodb_table.this.range_key == "window_start" && length([for a in aws_dynamodb_table.this.attribute : a if a.name == "device_id" && a.type == "N"]) == 1 && length([for a in aws_dynamodb_table.this.attribute : a if a.name == "window_start" && a.type == "N"]) == 1
    error_message = "Table keyed by device_id (N) and window_start (N, epoch ms)."
  }
  assert {
    condition     = aws_dynamodb_table.this.point_in_time_recovery[0].enabled && aws_dynamodb_table.this.server_side_encryption[0].enabled && aws_dynamodb_table.this.server_side_encryption[0].kms_key_arn == var.kms_key_arn
    error_message = "PITR and KMS encryption required."
  }
  assert {
    condition     = aws_dynamodb_table.this.ttl[0].enabled && aws_dynamodb_table.this.ttl[0].attribute_name == "expires_at"
    error_message = "TTL on expires_at required."
  }
  assert {
    condition     = aws_lambda_event_source_mapping.this.batch_size == 500 && aws_lambda_event_source_mapping.this.maximum_batching_window_in_seconds == 5 && aws_lambda_event_source_mapping.this.starting_position == "TRIM_HORIZON"
    error_message = "Batch size, batching window and starting position must be set."
  }
  assert {
    condition     = aws_lambda_event_source_mapping.this.self_managed_kafka_event_source_config[0].consumer_group_id == "sluice-aggregator" && length(aws_lambda_event_source_mapping.this.amazon_managed_kafka_event_source_config) == 0
    error_message = "Self-managed Kafka consumer group expected."
  }
  assert {
    condition     = aws_lambda_event_source_mapping.this.destination_config[0].on_failure[0].destination_arn == aws_sqs_queue.on_failure.arn && aws_sqs_queue.on_failure.kms_master_key_id == var.kms_key_arn
    error_message = "On-failure destination must be the encrypted queue."
  }
  assert {
    condition     = length(aws_lambda_event_source_mapping.this.function_response_types) == 0 && length(aws_lambda_event_source_mapping.this.provisioned_poller_config) == 0 && aws_lambda_function.this.environment[0].variables["SLUICE_REPORT_BATCH_ITEM_FAILURES"] == "false"
    error_message = "Without provisioned pollers, partial batch responses must stay off (the handler fails the whole batch and Lambda retries it)."
  }
  assert {
    condition     = length([for s in aws_lambda_event_source_mapping.this.source_access_configuration : s if s.type == "SASL_SCRAM_512_AUTH" && s.uri == var.event_source.secret_arn]) == 1 && length([for s in aws_lambda_event_source_mapping.this.source_access_configuration : s if s.type == "VPC_SUBNET"]) == 2
    error_message = "SCRAM secret and VPC placement expected."
  }
  assert {
    condition     = alltrue(flatten([for s in jsondecode(aws_iam_role_policy.this.policy).Statement : [for a in s.Action : !strcontains(a, "*")]]))
    error_message = "No wildcard IAM actions."
  }
  assert {
    condition     = alltrue([for s in jsondecode(aws_iam_role_policy.this.policy).Statement : !contains(s.Resource, "*") if s.Sid != "PollerNetworkInterfaces"])
    error_message = "Only the ENI management statement may use Resource *; all data-plane access is scoped."
  }
  assert {
    condition     = jsonencode([for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Action if s.Sid == "AggregateTable"][0]) == jsonencode(["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem"])
    error_message = "Table access limited to BatchGetItem, GetItem and PutItem."
  }
  assert {
    condition     = alltrue([for r in aws_vpc_security_group_egress_rule.poller : r.cidr_ipv4 == null && r.referenced_security_group_id != null]) && aws_vpc_security_group_egress_rule.poller["kafka"].from_port == 9096
    error_message = "Poller egress only to named security groups."
  }
  assert {
    condition     = aws_cloudwatch_log_group.this.kms_key_id == var.kms_key_arn && aws_lambda_function.this.kms_key_arn == var.kms_key_arn
    error_message = "Logs and environment must be encrypted with the CMK."
  }
  assert {
    condition     = alltrue([for k, v in aws_lambda_function.this.environment[0].variables : !can(regex("(?i)(password|secret)", k))])
    error_message = "No secrets in the function environment."
  }
}

run "on_failure_queue_read_only_by_replay_role_and_alarmed" {
  command = apply

  assert {
    condition     = aws_sqs_queue.on_failure.kms_master_key_id == var.kms_key_arn
    error_message = "The on-failure queue must be encrypted with the customer managed key."
  }
  assert {
    condition     = length([for s in jsondecode(aws_sqs_queue_policy.on_failure.policy).Statement : s if s.Effect == "Deny" && contains(s.Action, "sqs:ReceiveMessage") && contains(s.Action, "sqs:DeleteMessage") && contains(s.Action, "sqs:PurgeQueue") && s.Principal.AWS == "*" && s.Condition.StringNotEquals["aws:PrincipalArn"] == aws_iam_role.replay.arn]) == 1
    error_message = "Everyone but the replay role must be denied reading, deleting and purging the on-failure queue."
  }
  assert {
    condition     = length([for s in jsondecode(aws_sqs_queue_policy.on_failure.policy).Statement : s if s.Effect == "Allow"]) == 0
    error_message = "The queue policy grants nothing; the replay role's own policy does."
  }
  assert {
    condition     = jsonencode([for s in jsondecode(aws_iam_role_policy.replay.policy).Statement : s.Resource if s.Sid == "ReadFailedBatches"][0]) == jsonencode([aws_sqs_queue.on_failure.arn])
    error_message = "The replay role reads only the on-failure queue."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.on_failure_depth.namespace == "AWS/SQS" && aws_cloudwatch_metric_alarm.on_failure_depth.metric_name == "ApproximateNumberOfMessagesVisible" && aws_cloudwatch_metric_alarm.on_failure_depth.threshold == 0 && aws_cloudwatch_metric_alarm.on_failure_depth.comparison_operator == "GreaterThanThreshold" && aws_cloudwatch_metric_alarm.on_failure_depth.dimensions["QueueName"] == aws_sqs_queue.on_failure.name
    error_message = "An alarm must fire on the first message in the on-failure queue."
  }
}

run "partial_batch_responses_only_with_provisioned_pollers" {
  command = apply

  variables {
    provisioned_pollers = { minimum_pollers = 1, maximum_pollers = 4 }
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this.function_response_types == toset(["ReportBatchItemFailures"]) && aws_lambda_event_source_mapping.this.provisioned_poller_config[0].minimum_pollers == 1 && aws_lambda_function.this.environment[0].variables["SLUICE_REPORT_BATCH_ITEM_FAILURES"] == "true"
    error_message = "With provisioned pollers, partial batch responses are on and the handler is told so."
  }
}

run "same_account_msk_with_iam" {
  command = apply

  variables {
    runtime = "java17"
    event_source = {
      type            = "msk"
      msk_cluster_arn = "arn:aws:kafka:eu-west-1:222222222222:cluster/sluice/11111111-2222-3333-4444-555555555555-1"
    }
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this.event_source_arn == var.event_source.msk_cluster_arn && aws_lambda_event_source_mapping.this.amazon_managed_kafka_event_source_config[0].consumer_group_id == "sluice-aggregator"
    error_message = "MSK event source with consumer group expected."
  }
  assert {
    condition     = [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if s.Sid == "KafkaReadTopic"][0] == ["arn:aws:kafka:eu-west-1:222222222222:topic/sluice/11111111-2222-3333-4444-555555555555-1/sensor-readings"]
    error_message = "Read access only to the readings topic."
  }
  assert {
    condition     = length(aws_security_group.poller) == 0
    error_message = "MSK event sources use the cluster's network settings."
  }
}

run "rejects_java11" {
  command = plan
  variables {
    runtime = "java11"
  }
  expect_failures = [var.runtime]
}

run "rejects_incomplete_self_managed" {
  command = plan
  variables {
    event_source = { type = "self_managed", bootstrap_servers = "b-1:9096" }
  }
  expect_failures = [var.event_source]
}
