mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111111111111:role/sluice-cdc-msk-connect" }
  }
  mock_resource "aws_mskconnect_custom_plugin" {
    defaults = { arn = "arn:aws:kafkaconnect:eu-west-1:111111111111:custom-plugin/debezium/11111111-2222-3333-4444-555555555555-1", latest_revision = 1 }
  }
  mock_resource "aws_mskconnect_worker_configuration" {
    defaults = { arn = "arn:aws:kafkaconnect:eu-west-1:111111111111:worker-configuration/debezium/11111111-2222-3333-4444-555555555555-1", latest_revision = 1 }
  }
}

variables {
  name                        = "sluice-cdc"
  msk_cluster_arn             = "arn:aws:kafka:eu-west-1:111111111111:cluster/sluice-cdc/11111111-2222-3333-4444-555555555555-1"
  bootstrap_servers           = "b-1.sluice-cdc.abc.c2.kafka.eu-west-1.amazonaws.com:9098"
  vpc_id                      = "vpc-1"
  subnet_ids                  = ["subnet-a", "subnet-b"]
  security_group_id           = "sg-connector"
  kafka_security_group_id     = "sg-msk"
  endpoints_security_group_id = "sg-endpoints"
  database_security_group_id  = "sg-aurora"
  database_hostname           = "sluice-cdc.cluster-abc.eu-west-1.rds.amazonaws.com"
  database_secret_arn         = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:sluice-cdc/debezium-AbCdEf"
  database_include_list       = ["inventory"]
  topic_prefix                = "sluice"
  plugin_bucket_arn           = "arn:aws:s3:::sluice-artifacts"
  plugin_s3_key               = "debezium/3.3.0/debezium-mysql-plugin.zip"
  kms_key_arn                 = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
}

run "debezium_reads_credentials_through_config_provider" {
  command = apply

  assert {
    condition     = output.connector_configuration["connector.class"] == "io.debezium.connector.mysql.MySqlConnector"
    error_message = "Debezium MySqlConnector expected."
  }
  assert {
    condition     = output.connector_configuration["database.password"] == "$${secretsmanager:arn:aws:secretsmanager:eu-west-1:111111111111:secret:sluice-cdc/debezium-AbCdEf:password}" && output.connector_configuration["database.user"] == "$${secretsmanager:arn:aws:secretsmanager:eu-west-1:111111111111:secret:sluice-cdc/debezium-AbCdEf:username}"
    error_message = "Credentials must come from Secrets Manager through the config provider."
  }
  assert {
    condition     = alltrue([for k, v in output.connector_configuration : startswith(v, "$${") || can(regex("IAMLoginModule required;$", v)) if can(regex("(?i)(password|secret|jaas)", k))])
    error_message = "No secret-bearing property may hold plain text."
  }
  assert {
    condition     = output.connector_configuration["topic.prefix"] == "sluice" && output.connector_configuration["schema.history.internal.kafka.topic"] == "sluice.schema-history" && output.connector_configuration["database.include.list"] == "inventory"
    error_message = "One topic per table under the prefix, plus a schema history topic."
  }
  assert {
    condition     = output.connector_configuration["database.ssl.mode"] == "verify_identity" && output.connector_configuration["database.ssl.truststore"] == "$${s3import:eu-west-1:sluice-artifacts/rds-ca/rds-global-bundle.jks}" && output.connector_configuration["schema.history.internal.producer.security.protocol"] == "SASL_SSL" && output.connector_configuration["schema.history.internal.consumer.sasl.mechanism"] == "AWS_MSK_IAM"
    error_message = "TLS to MySQL verifying the RDS certificate and host name (RDS CA truststore from S3), and IAM over TLS for the schema history clients."
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.database_from_connector.security_group_id == "sg-aurora" && aws_vpc_security_group_ingress_rule.database_from_connector.referenced_security_group_id == "sg-connector" && aws_vpc_security_group_ingress_rule.database_from_connector.from_port == 3306
    error_message = "Aurora must admit exactly the connector on 3306."
  }
  assert {
    condition     = output.security_group_id == "sg-connector"
    error_message = "The connector must run in the security group from the security-group stage."
  }
}

run "rejects_plaintext_override" {
  command = plan
  variables {
    extra_connector_configuration = { "database.password" = "hunter2" }
  }
  expect_failures = [var.extra_connector_configuration]
}
