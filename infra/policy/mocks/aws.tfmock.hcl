# Values the mock provider returns when infra/test.sh renders plans of module examples and policy fixtures
# (mock_provider "aws" { source = ... override_during = plan }). Every attribute the provider validates as an ARN
# or an ID, or that feeds one, has a well-formed default here; everything else is a random string.
mock_data "aws_region" {
  defaults = { name = "eu-west-1", id = "eu-west-1" }
}
mock_data "aws_partition" {
  defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
}
mock_data "aws_caller_identity" {
  defaults = { account_id = "111111111111", arn = "arn:aws:iam::111111111111:user/plan-only" }
}
mock_data "aws_ssm_parameter" {
  defaults = { value = "ami-0123456789abcdef0" }
}
mock_data "aws_secretsmanager_secret_version" {
  defaults = {
    secret_string = "{\"1\":{\"host\":\"b-1.sluice.abc123.c2.kafka.eu-west-1.amazonaws.com\",\"port\":9096,\"endpoint_service_name\":\"com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef1\"},\"2\":{\"host\":\"b-2.sluice.abc123.c2.kafka.eu-west-1.amazonaws.com\",\"port\":9096,\"endpoint_service_name\":\"com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef2\"}}"
  }
}
mock_data "aws_msk_broker_nodes" {
  defaults = {
    node_info_list = [
      { broker_id = 1, client_vpc_ip_address = "10.40.1.10", endpoints = ["b-1.sluice.abc123.c2.kafka.eu-west-1.amazonaws.com"] },
      { broker_id = 2, client_vpc_ip_address = "10.40.2.10", endpoints = ["b-2.sluice.abc123.c2.kafka.eu-west-1.amazonaws.com"] },
    ]
  }
}
mock_data "aws_msk_bootstrap_brokers" {
  defaults = {
    bootstrap_brokers_vpc_connectivity_sasl_iam   = "b-1.sluice.abc123.c2.kafka.eu-west-1.amazonaws.com:14001"
    bootstrap_brokers_vpc_connectivity_sasl_scram = "b-1.sluice.abc123.c2.kafka.eu-west-1.amazonaws.com:14001"
    bootstrap_brokers_vpc_connectivity_tls        = "b-1.sluice.abc123.c2.kafka.eu-west-1.amazonaws.com:14001"
  }
}
mock_resource "aws_kms_key" {
  defaults = { arn = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555", key_id = "11111111-2222-3333-4444-555555555555" }
}
mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::111111111111:role/sluice-plan" }
}
mock_resource "aws_iam_instance_profile" {
  defaults = { arn = "arn:aws:iam::111111111111:instance-profile/sluice-plan" }
}
mock_resource "aws_iam_policy" {
  defaults = { arn = "arn:aws:iam::111111111111:policy/sluice-plan" }
}
mock_resource "aws_s3_bucket" {
  defaults = { arn = "arn:aws:s3:::sluice-plan-bucket" }
}
mock_resource "aws_lambda_function" {
  defaults = { arn = "arn:aws:lambda:eu-west-1:111111111111:function:sluice-plan" }
}
mock_resource "aws_sqs_queue" {
  defaults = { arn = "arn:aws:sqs:eu-west-1:111111111111:sluice-plan", url = "https://sqs.eu-west-1.amazonaws.com/111111111111/sluice-plan" }
}
mock_resource "aws_sns_topic" {
  defaults = { arn = "arn:aws:sns:eu-west-1:111111111111:sluice-plan" }
}
mock_resource "aws_dynamodb_table" {
  defaults = { arn = "arn:aws:dynamodb:eu-west-1:111111111111:table/sluice-plan" }
}
mock_resource "aws_cloudwatch_log_group" {
  defaults = { arn = "arn:aws:logs:eu-west-1:111111111111:log-group:/sluice/plan" }
}
mock_resource "aws_secretsmanager_secret" {
  defaults = { arn = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:sluice/plan-AbCdEf" }
}
mock_resource "aws_msk_cluster" {
  defaults = {
    arn                          = "arn:aws:kafka:eu-west-1:111111111111:cluster/sluice/11111111-2222-3333-4444-555555555555-1"
    bootstrap_brokers_tls        = "b-1.sluice.abc123.c2.kafka.eu-west-1.amazonaws.com:9094"
    bootstrap_brokers_sasl_iam   = "b-1.sluice.abc123.c2.kafka.eu-west-1.amazonaws.com:9098"
    bootstrap_brokers_sasl_scram = "b-1.sluice.abc123.c2.kafka.eu-west-1.amazonaws.com:9096"
  }
}
mock_resource "aws_msk_configuration" {
  defaults = { arn = "arn:aws:kafka:eu-west-1:111111111111:configuration/sluice/11111111-2222-3333-4444-555555555555-1", latest_revision = 1 }
}
mock_resource "aws_mskconnect_custom_plugin" {
  defaults = { arn = "arn:aws:kafkaconnect:eu-west-1:111111111111:custom-plugin/sluice/11111111-2222-3333-4444-555555555555-1", latest_revision = 1 }
}
mock_resource "aws_mskconnect_worker_configuration" {
  defaults = { arn = "arn:aws:kafkaconnect:eu-west-1:111111111111:worker-configuration/sluice/11111111-2222-3333-4444-555555555555-1", latest_revision = 1 }
}
mock_resource "aws_rds_cluster" {
  defaults = {
    arn                = "arn:aws:rds:eu-west-1:111111111111:cluster:sluice-plan"
    endpoint           = "sluice-plan.cluster-abc.eu-west-1.rds.amazonaws.com"
    port               = 3306
    cluster_identifier = "sluice-plan"
  }
}
mock_resource "aws_lb" {
  defaults = { arn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/net/sluice/0123456789abcdef" }
}
mock_resource "aws_lb_target_group" {
  defaults = { arn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/sluice/0123456789abcdef" }
}
mock_resource "aws_vpc_endpoint_service" {
  defaults = { service_name = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0", arn = "arn:aws:ec2:eu-west-1:111111111111:vpc-endpoint-service/vpce-svc-0123456789abcdef0" }
}
mock_resource "aws_vpc_endpoint" {
  defaults = {
    dns_entry = [{ dns_name = "vpce-0abc-xyz.vpce-svc-0123.eu-west-1.vpce.amazonaws.com", hosted_zone_id = "Z7HUB22UULQXV" }]
  }
}
mock_resource "aws_launch_template" {
  defaults = { id = "lt-0123456789abcdef0", latest_version = 1 }
}
mock_resource "aws_vpc" {
  defaults = { cidr_block = "10.40.0.0/16" }
}
mock_resource "aws_ec2_transit_gateway" {
  defaults = { arn = "arn:aws:ec2:eu-west-1:111111111111:transit-gateway/tgw-0123456789abcdef0", id = "tgw-0123456789abcdef0" }
}
mock_resource "aws_ram_resource_share" {
  defaults = { arn = "arn:aws:ram:eu-west-1:111111111111:resource-share/11111111-2222-3333-4444-555555555555" }
}
mock_resource "aws_route53_zone" {
  defaults = { zone_id = "Z0123456789ABCDEFGHIJ" }
}
