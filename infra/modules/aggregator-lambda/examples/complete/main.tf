# The aggregator in a consumer account, fed by MSK in another account over PrivateLink (self-managed Kafka source
# with SCRAM), with provisioned pollers (so partial batch responses are on), SnapStart, a replay role for named
# operators and an SNS alarm target. Every optional input is set.
provider "aws" {
  region = "eu-west-1"
}

module "aggregator" {
  source = "../../"

  name                      = "sluice-aggregator-complete"
  artifact_bucket_name      = "sluice-artifacts-222222222222-eu-west-1"
  lambda_jar_s3_key         = "sluice-aggregator/0.1.0/sluice-aggregator-0.1.0-lambda.jar"
  lambda_jar_object_version = "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"
  handler                   = "io.sluice.aggregator.lambda.KafkaEventHandler::handleRequest"
  runtime                   = "java21"
  memory_size               = 2048
  timeout                   = 300
  snap_start                = true
  aggregation = {
    window            = "1m"
    allowed_lateness  = "5m"
    ttl               = "30d"
    write_concurrency = 8
  }
  table_name                         = "sluice-device-windows-complete"
  table_deletion_protection          = true
  kms_key_arn                        = "arn:aws:kms:eu-west-1:222222222222:key/11111111-2222-3333-4444-555555555555"
  additional_kms_key_arns            = ["arn:aws:kms:eu-west-1:111111111111:key/99999999-2222-3333-4444-555555555555"]
  topic                              = "sensor-readings"
  consumer_group_id                  = "sluice-aggregator"
  batch_size                         = 1000
  maximum_batching_window_in_seconds = 10
  starting_position                  = "TRIM_HORIZON"
  provisioned_pollers                = { minimum_pollers = 1, maximum_pollers = 4 }
  replay_trusted_principal_arns      = ["arn:aws:iam::222222222222:role/sluice-operators"]
  alarm_actions                      = ["arn:aws:sns:eu-west-1:222222222222:sluice-alerts"]
  log_retention_days                 = 90

  event_source = {
    type                        = "self_managed"
    bootstrap_servers           = "b-1.sluice.abc123.c2.kafka.eu-west-1.amazonaws.com:9096,b-2.sluice.abc123.c2.kafka.eu-west-1.amazonaws.com:9096"
    secret_arn                  = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:AmazonMSK_sluice_aggregator-AbCdEf"
    vpc_id                      = "vpc-0123456789abcdef0"
    subnet_ids                  = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
    broker_security_group_id    = "sg-0123456789abcdef1"
    broker_port                 = 9096
    endpoints_security_group_id = "sg-0123456789abcdef2"
  }

  tags = { Project = "sluice", Example = "complete" }
}

output "replay_role_arn" {
  value = module.aggregator.replay_role_arn
}
