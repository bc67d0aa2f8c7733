mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_ssm_parameter" {
    defaults = { value = "ami-0123456789abcdef0" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::222222222222:role/sluice-connect" }
  }
  mock_resource "aws_iam_instance_profile" {
    defaults = { arn = "arn:aws:iam::222222222222:instance-profile/sluice-connect" }
  }
  mock_resource "aws_launch_template" {
    defaults = { id = "lt-0123456789abcdef0", latest_version = 1 }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:222222222222:log-group:/sluice/kafka-connect/sluice" }
  }
  mock_resource "aws_security_group" {
    defaults = { id = "sg-connect" }
  }
}

variables {
  name                              = "sluice"
  vpc_id                            = "vpc-b"
  subnet_ids                        = ["subnet-a", "subnet-b"]
  kms_key_arn                       = "arn:aws:kms:eu-west-1:222222222222:key/11111111-2222-3333-4444-555555555555"
  artifact_bucket_name              = "sluice-artifacts-b"
  kafka_distribution_s3_key         = "kafka/kafka_2.13-4.1.2.tgz"
  plugin_s3_keys                    = ["sluice-clickhouse-sink/0.1.0/sluice-clickhouse-sink-0.1.0-plugin.zip", "config-providers/msk-config-providers.zip"]
  bootstrap_servers                 = "b-1.sluice.abc.c2.kafka.eu-west-1.amazonaws.com:9096,b-2.sluice.abc.c2.kafka.eu-west-1.amazonaws.com:9096"
  scram_secret_arn                  = "arn:aws:secretsmanager:eu-west-1:222222222222:secret:AmazonMSK_connect-AbCdEf"
  kafka_destination                 = { cidr = "10.50.0.0/16" }
  sink_destinations                 = { clickhouse = { port = 8443, security_group_id = "sg-clickhouse" } }
  endpoints_security_group_id       = "sg-endpoints"
  s3_prefix_list_id                 = "pl-12345678"
  internal_topic_replication_factor = 2
  secret_arns                       = ["arn:aws:secretsmanager:eu-west-1:222222222222:secret:sluice/clickhouse-AbCdEf"]
  connectors = {
    clickhouse-sink = {
      "connector.class"     = "io.sluice.sink.clickhouse.ClickHouseSinkConnector"
      "topics"              = "sensor-readings"
      "clickhouse.url"      = "https://abc.eu-west-1.aws.clickhouse.cloud:8443"
      "clickhouse.password" = "$${secretsmanager:arn:aws:secretsmanager:eu-west-1:222222222222:secret:sluice/clickhouse-AbCdEf:password}"
    }
  }
}

run "distributed_workers_over_tgw" {
  command = apply

  assert {
    condition     = module.fleet.min_size >= 2 && module.fleet.launch_template.instance_type == "t3.large"
    error_message = "At least two t3.large workers."
  }
  assert {
    condition     = alltrue([for v in module.fleet.launch_template.volumes : v.encrypted == "true" && v.kms_key_id == var.kms_key_arn]) && module.fleet.launch_template.key_name == null && module.fleet.launch_template.http_tokens == "required"
    error_message = "Encrypted root volume, no SSH key, IMDSv2."
  }
  assert {
    condition     = strcontains(local.worker_properties, "group.id=sluice") && strcontains(local.worker_properties, "config.storage.topic=sluice-configs") && strcontains(local.worker_properties, "offset.storage.replication.factor=2") && strcontains(local.worker_properties, "plugin.path=/opt/connect-plugins")
    error_message = "Distributed-mode worker config with internal topics expected."
  }
  assert {
    condition     = strcontains(local.user_data, "connect-distributed.sh") && !strcontains(local.user_data, "connect-standalone")
    error_message = "Workers must run in distributed mode."
  }
  assert {
    condition     = strcontains(local.user_data, "aws s3 cp --region eu-west-1 \"s3://sluice-artifacts-b/config-providers/msk-config-providers.zip\"") && !can(regex("(curl|wget)[^\\n]*https://", local.user_data))
    error_message = "Plugins come from S3, never from the internet."
  }
  assert {
    condition     = strcontains(local.user_data, "[Install]") && strcontains(local.user_data, "systemctl enable --now kafka-connect.service")
    error_message = "Worker must run under systemd."
  }
  assert {
    condition     = strcontains(local.user_data, "secretsmanager:arn:aws:secretsmanager:eu-west-1:222222222222:secret:sluice/clickhouse-AbCdEf:password") && !can(regex("(?i)password\\\\?\"?[=:]\\\\?\"[^$%\\\\]", local.user_data))
    error_message = "Connector secrets must be config provider references; no password in user data."
  }
  assert {
    condition     = module.fleet.egress_rules["kafka"].cidr_ipv4 == "10.50.0.0/16" && module.fleet.egress_rules["kafka"].from_port == 9096
    error_message = "Kafka egress only to the MSK VPC CIDR on the SCRAM port."
  }
  assert {
    condition     = module.fleet.egress_rules["sink-clickhouse"].from_port == 8443 && module.fleet.egress_rules["sink-clickhouse"].referenced_security_group_id == "sg-clickhouse"
    error_message = "ClickHouse egress only to its endpoint on 8443."
  }
  assert {
    condition     = alltrue([for r in module.fleet.egress_rules : r.cidr_ipv4 != "0.0.0.0/0"]) && module.fleet.self_ingress_rules["8083"] == "sg-connect"
    error_message = "No open egress; REST only between workers."
  }
  assert {
    condition     = alltrue(flatten([for s in jsondecode(module.fleet.iam_policy).Statement : [for a in s.Action : !strcontains(a, "*")]])) && alltrue(flatten([for s in jsondecode(module.fleet.iam_policy).Statement : [for r in s.Resource : r != "*"]]))
    error_message = "No wildcard actions or resources."
  }
  assert {
    condition     = length(setsubtract(toset([for s in jsondecode(module.fleet.iam_policy).Statement : s.Resource if s.Sid == "ReadSecrets"][0]), toset(concat(var.secret_arns, [var.scram_secret_arn])))) == 0
    error_message = "Only the named secrets may be read."
  }
  assert {
    condition     = output.internal_topics.status == "sluice-status"
    error_message = "Internal topics must be exposed."
  }
  assert {
    condition     = !strcontains(local.user_data, "0.0.0.0") && strcontains(local.user_data, "echo \"listeners=http://$ip:8083\" >>\"$out\"") && strcontains(local.user_data, "connector.client.config.override.policy=None")
    error_message = "The REST API must listen on the instance's private address only, and connectors may not override client configs."
  }
  assert {
    condition     = !strcontains(local.user_data, "BasicAuthSecurityRestExtension") && !strcontains(local.user_data, "rest-jaas.conf")
    error_message = "Without rest_basic_auth_secret_arn, no REST authentication is configured."
  }
}

run "rest_basic_auth_from_secrets_manager" {
  command = apply

  variables {
    rest_basic_auth_secret_arn = "arn:aws:secretsmanager:eu-west-1:222222222222:secret:sluice/connect-rest-AbCdEf"
  }

  assert {
    condition     = strcontains(local.user_data, "rest.extension.classes=org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension") && strcontains(local.user_data, "--secret-id 'arn:aws:secretsmanager:eu-west-1:222222222222:secret:sluice/connect-rest-AbCdEf'") && strcontains(local.user_data, "KAFKA_OPTS=-Djava.security.auth.login.config=/run/kafka-connect/rest-jaas.conf")
    error_message = "REST basic authentication: extension on, users read from the secret at start, JAAS file passed to the worker."
  }
  assert {
    condition     = contains([for s in jsondecode(module.fleet.iam_policy).Statement : s.Resource if s.Sid == "ReadSecrets"][0], var.rest_basic_auth_secret_arn)
    error_message = "The instance role must read the REST credentials secret."
  }
}

run "rejects_single_worker" {
  command = plan
  variables {
    min_size = 1
  }
  expect_failures = [var.min_size]
}

run "rejects_plaintext_connector_password" {
  command = plan
  variables {
    connectors = { bad = { "connector.class" = "x", "clickhouse.password" = "hunter2" } }
  }
  expect_failures = [var.connectors]
}

run "rejects_ambiguous_kafka_destination" {
  command = plan
  variables {
    kafka_destination = { cidr = "10.50.0.0/16", security_group_id = "sg-msk" }
  }
  expect_failures = [var.kafka_destination]
}
