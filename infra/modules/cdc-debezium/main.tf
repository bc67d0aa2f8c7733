data "aws_region" "current" {}

locals {
  history_topic = "${var.topic_prefix}.schema-history"

  plugin_bucket      = element(split(":::", var.plugin_bucket_arn), 1)
  truststore_arn     = "${var.plugin_bucket_arn}/${var.database_truststore_s3_key}"
  truststore_setting = "$${s3import:${data.aws_region.current.name}:${local.plugin_bucket}/${var.database_truststore_s3_key}}"

  iam_client = {
    "security.protocol"                  = "SASL_SSL"
    "sasl.mechanism"                     = "AWS_MSK_IAM"
    "sasl.jaas.config"                   = "software.amazon.msk.auth.iam.IAMLoginModule required;"
    "sasl.client.callback.handler.class" = "software.amazon.msk.auth.iam.IAMClientCallbackHandler"
  }

  connector_configuration = merge(
    {
      "connector.class"    = "io.debezium.connector.mysql.MySqlConnector"
      "tasks.max"          = "1"
      "database.hostname"  = var.database_hostname
      "database.port"      = tostring(var.database_port)
      "database.user"      = "$${secretsmanager:${var.database_secret_arn}:username}"
      "database.password"  = "$${secretsmanager:${var.database_secret_arn}:password}"
      "database.server.id" = tostring(var.database_server_id)
      "database.ssl.mode"  = "verify_identity"
      # The RDS CA bundle as a truststore, copied from S3 to the worker by the s3import config provider.
      "database.ssl.truststore" = local.truststore_setting
      "topic.prefix"            = var.topic_prefix
      "database.include.list"   = join(",", var.database_include_list)
      "include.schema.changes"  = "true"
      "decimal.handling.mode"   = "string"
      "snapshot.mode"           = "initial"
      "snapshot.locking.mode"   = "minimal"

      # The Sluice sink's CDC mode (ingest.mode=debezium) needs schemas and the source column types; the same
      # settings as the Aurora preset in sluice-cdc (DebeziumPresets.auroraMySql).
      "key.converter"                  = "org.apache.kafka.connect.json.JsonConverter"
      "key.converter.schemas.enable"   = "true"
      "value.converter"                = "org.apache.kafka.connect.json.JsonConverter"
      "value.converter.schemas.enable" = "true"
      "column.propagate.source.type"   = ".*"
      "bigint.unsigned.handling.mode"  = "precise"
      "time.precision.mode"            = "adaptive_time_microseconds"
      "binary.handling.mode"           = "bytes"
      "tombstones.on.delete"           = "true"
      # A batch leaves at 1,024 events or after 100 ms (Debezium's default waits up to 500 ms below 4,096 events/s):
      # commit-to-Kafka p99 184 ms at 400 transactions/s (BENCHMARKS.md, change data capture).
      "poll.interval.ms" = "100"
      "max.batch.size"   = "1024"

      "schema.history.internal.kafka.bootstrap.servers" = var.bootstrap_servers
      "schema.history.internal.kafka.topic"             = local.history_topic

      "topic.creation.default.replication.factor" = tostring(var.topic_replication_factor)
      "topic.creation.default.partitions"         = tostring(var.topic_partitions)
    },
    length(var.table_include_list) == 0 ? {} : { "table.include.list" = join(",", var.table_include_list) },
    { for k, v in local.iam_client : "schema.history.internal.producer.${k}" => v },
    { for k, v in local.iam_client : "schema.history.internal.consumer.${k}" => v },
    var.extra_connector_configuration,
  )
}

module "connector" {
  source = "../msk-connect"

  name                        = var.name
  msk_cluster_arn             = var.msk_cluster_arn
  bootstrap_servers           = var.bootstrap_servers
  vpc_id                      = var.vpc_id
  subnet_ids                  = var.subnet_ids
  security_group_id           = var.security_group_id
  kafka_security_group_id     = var.kafka_security_group_id
  endpoints_security_group_id = var.endpoints_security_group_id
  extra_egress = {
    mysql = { port = var.database_port, security_group_id = var.database_security_group_id }
  }

  plugin_bucket_arn     = var.plugin_bucket_arn
  plugin_s3_key         = var.plugin_s3_key
  plugin_object_version = var.plugin_object_version

  connector_configuration = local.connector_configuration
  secret_arns             = [var.database_secret_arn]
  s3_import_object_arns   = [local.truststore_arn]
  kms_key_arn             = var.kms_key_arn

  # <prefix>.<database>.<table>, the schema-history topic, and the server-level schema change topic <prefix>.
  write_topics    = ["${var.topic_prefix}.*", var.topic_prefix]
  read_topics     = [local.history_topic]
  consumer_groups = ["${var.topic_prefix}-schemahistory"]
  capacity        = var.capacity
  tags            = var.tags
}

# The database admits the connector on the MySQL port.
resource "aws_vpc_security_group_ingress_rule" "database_from_connector" {
  security_group_id            = var.database_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = var.database_port
  to_port                      = var.database_port
  referenced_security_group_id = module.connector.security_group_id
  description                  = "MySQL (TLS) from the Debezium connector ${var.name}"
}
