mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111111111111:role/sluice-msk-connect" }
  }
  mock_resource "aws_mskconnect_custom_plugin" {
    defaults = { arn = "arn:aws:kafkaconnect:eu-west-1:111111111111:custom-plugin/sluice/11111111-2222-3333-4444-555555555555-1", latest_revision = 1 }
  }
  mock_resource "aws_mskconnect_worker_configuration" {
    defaults = { arn = "arn:aws:kafkaconnect:eu-west-1:111111111111:worker-configuration/sluice/11111111-2222-3333-4444-555555555555-1", latest_revision = 1 }
  }
}

variables {
  name                        = "sluice-clickhouse-sink"
  msk_cluster_arn             = "arn:aws:kafka:eu-west-1:111111111111:cluster/sluice/11111111-2222-3333-4444-555555555555-1"
  bootstrap_servers           = "b-1.sluice.abc.c2.kafka.eu-west-1.amazonaws.com:9098"
  vpc_id                      = "vpc-1"
  subnet_ids                  = ["subnet-a", "subnet-b"]
  kafka_security_group_id     = "sg-msk"
  endpoints_security_group_id = "sg-endpoints"
  extra_egress                = { clickhouse = { port = 8443, security_group_id = "sg-clickhouse" } }
  plugin_bucket_arn           = "arn:aws:s3:::sluice-artifacts"
  plugin_s3_key               = "sluice-clickhouse-sink/0.1.0/sluice-clickhouse-sink-0.1.0-plugin.zip"
  kms_key_arn                 = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  secret_arns                 = ["arn:aws:secretsmanager:eu-west-1:111111111111:secret:sluice/clickhouse-AbCdEf"]
  read_topics                 = ["sensor-readings"]
  consumer_groups             = ["connect-sluice-clickhouse-sink"]
  connector_configuration = {
    "connector.class"     = "io.sluice.sink.clickhouse.ClickHouseSinkConnector"
    "topics"              = "sensor-readings"
    "clickhouse.url"      = "https://abc.eu-west-1.aws.clickhouse.cloud:8443"
    "clickhouse.password" = "$${secretsmanager:arn:aws:secretsmanager:eu-west-1:111111111111:secret:sluice/clickhouse-AbCdEf:password}"
  }
}

run "connector_with_plugin_worker_config_logs_and_autoscaling" {
  command = apply

  assert {
    condition     = one(aws_mskconnect_connector.this.plugin).custom_plugin[0].arn == aws_mskconnect_custom_plugin.this.arn
    error_message = "Connector must use the custom plugin."
  }
  assert {
    condition     = aws_mskconnect_custom_plugin.this.location[0].s3[0].file_key == var.plugin_s3_key && aws_mskconnect_custom_plugin.this.content_type == "ZIP"
    error_message = "Custom plugin must come from the zip in S3."
  }
  assert {
    condition     = strcontains(aws_mskconnect_worker_configuration.this.properties_file_content, "config.providers=secretsmanager") && strcontains(aws_mskconnect_worker_configuration.this.properties_file_content, "config.providers.secretsmanager.param.region=eu-west-1")
    error_message = "Worker configuration must enable the Secrets Manager config provider."
  }
  assert {
    condition     = aws_mskconnect_connector.this.capacity[0].autoscaling[0].max_worker_count == 2 && aws_mskconnect_connector.this.capacity[0].autoscaling[0].scale_out_policy[0].cpu_utilization_percentage == 80
    error_message = "Autoscaling capacity expected."
  }
  assert {
    condition     = aws_mskconnect_connector.this.kafka_cluster_encryption_in_transit[0].encryption_type == "TLS" && aws_mskconnect_connector.this.kafka_cluster_client_authentication[0].authentication_type == "IAM"
    error_message = "TLS in transit and IAM auth required."
  }
  assert {
    condition     = aws_mskconnect_connector.this.log_delivery[0].worker_log_delivery[0].cloudwatch_logs[0].enabled && aws_cloudwatch_log_group.this.kms_key_id == var.kms_key_arn
    error_message = "Worker logs must go to an encrypted log group."
  }
  assert {
    condition     = alltrue(flatten([for s in jsondecode(aws_iam_role_policy.this.policy).Statement : [for a in s.Action : !strcontains(a, "*")]]))
    error_message = "No wildcard IAM actions."
  }
  assert {
    condition     = jsonencode([for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if s.Sid == "ReadConnectorSecrets"][0]) == jsonencode(var.secret_arns)
    error_message = "Only the named secrets may be read."
  }
  assert {
    condition     = length([for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s if s.Sid == "WriteTopics"]) == 0
    error_message = "A sink with no write_topics must not get write access to data topics."
  }
  assert {
    condition     = alltrue([for r in aws_vpc_security_group_egress_rule.this : r.cidr_ipv4 == null && r.referenced_security_group_id != null]) && aws_vpc_security_group_egress_rule.this["clickhouse"].from_port == 8443
    error_message = "Egress only to named security groups."
  }
  assert {
    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "111111111111"
    error_message = "Trust policy must be scoped to this account."
  }
}

run "rejects_plaintext_password" {
  command = plan

  variables {
    connector_configuration = {
      "connector.class"     = "io.sluice.sink.clickhouse.ClickHouseSinkConnector"
      "clickhouse.password" = "hunter2"
    }
  }

  expect_failures = [var.connector_configuration]
}

run "rejects_bad_capacity" {
  command = plan
  variables {
    capacity = { mcu_count = 3 }
  }
  expect_failures = [var.capacity]
}

run "uses_existing_security_group" {
  command = apply

  variables {
    security_group_id = "sg-from-stage-10"
  }

  assert {
    condition     = length(aws_security_group.this) == 0 && alltrue([for r in aws_vpc_security_group_egress_rule.this : r.security_group_id == "sg-from-stage-10"])
    error_message = "An existing security group must be used, with the module's egress rules on it."
  }
  assert {
    condition     = one(aws_mskconnect_connector.this.kafka_cluster[0].apache_kafka_cluster[0].vpc).security_groups == toset(["sg-from-stage-10"])
    error_message = "The connector must run in the given security group."
  }
}
