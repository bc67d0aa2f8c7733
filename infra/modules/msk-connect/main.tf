data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  security_group_id = var.security_group_id == null ? aws_security_group.this[0].id : var.security_group_id

  topic_prefix = replace(var.msk_cluster_arn, ":cluster/", ":topic/")
  group_prefix = replace(var.msk_cluster_arn, ":cluster/", ":group/")

  # MSK Connect keeps connector offsets, configs and status in its own internal topics.
  internal_topics = ["__amazon_msk_connect_*"]
  internal_groups = ["__amazon_msk_connect_*", "connect-${var.name}"]

  s3_import = length(var.s3_import_object_arns) > 0

  worker_properties = merge({
    "key.converter"                                = "org.apache.kafka.connect.storage.StringConverter"
    "value.converter"                              = "org.apache.kafka.connect.json.JsonConverter"
    "value.converter.schemas.enable"               = "false"
    "config.providers"                             = local.s3_import ? "secretsmanager,s3import" : "secretsmanager"
    "config.providers.secretsmanager.class"        = var.config_provider_class
    "config.providers.secretsmanager.param.region" = data.aws_region.current.name
    }, local.s3_import ? {
    # Copies an S3 object (for example a truststore) to the worker and resolves to its local path.
    "config.providers.s3import.class"        = var.s3_import_provider_class
    "config.providers.s3import.param.region" = data.aws_region.current.name
  } : {}, var.worker_properties)

  egress_rules = merge({
    kafka = { port = 9098, security_group_id = var.kafka_security_group_id, description = "Kafka IAM (TLS) to the brokers" }
    aws   = { port = 443, security_group_id = var.endpoints_security_group_id, description = "HTTPS to Secrets Manager, STS and KMS endpoints" }
  }, { for k, v in var.extra_egress : k => merge(v, { description = "${k} on ${v.port}" }) })

  statements = concat(
    [
      {
        Sid      = "KafkaConnect"
        Effect   = "Allow"
        Action   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
        Resource = [var.msk_cluster_arn]
      },
      {
        Sid      = "InternalTopics"
        Effect   = "Allow"
        Action   = ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:ReadData", "kafka-cluster:WriteData", "kafka-cluster:DescribeTopicDynamicConfiguration", "kafka-cluster:AlterTopicDynamicConfiguration"]
        Resource = [for t in local.internal_topics : "${local.topic_prefix}/${t}"]
      },
      {
        Sid      = "Groups"
        Effect   = "Allow"
        Action   = ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"]
        Resource = [for g in distinct(concat(local.internal_groups, var.consumer_groups)) : "${local.group_prefix}/${g}"]
      },
    ],
    length(var.read_topics) == 0 ? [] : [{
      Sid      = "ReadTopics"
      Effect   = "Allow"
      Action   = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]
      Resource = [for t in var.read_topics : "${local.topic_prefix}/${t}"]
    }],
    length(var.write_topics) == 0 ? [] : [{
      Sid      = "WriteTopics"
      Effect   = "Allow"
      Action   = ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:WriteData", "kafka-cluster:ReadData"]
      Resource = [for t in var.write_topics : "${local.topic_prefix}/${t}"]
    }],
    length(var.secret_arns) == 0 ? [] : [{
      Sid      = "ReadConnectorSecrets"
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = var.secret_arns
    }],
    local.s3_import ? [{
      Sid      = "ImportObjects"
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = var.s3_import_object_arns
    }] : [],
    [{
      Sid      = "Decrypt"
      Effect   = "Allow"
      Action   = ["kms:Decrypt"]
      Resource = [var.kms_key_arn]
    }],
  )
}

resource "aws_security_group" "this" {
  count = var.security_group_id == null ? 1 : 0

  name        = "${var.name}-msk-connect"
  description = "MSK Connect workers of ${var.name}: no ingress, egress to named targets only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-msk-connect" })
}

resource "aws_vpc_security_group_egress_rule" "this" {
  for_each = local.egress_rules

  security_group_id            = local.security_group_id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = each.value.security_group_id
  description                  = each.value.description
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/sluice/msk-connect/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_iam_role" "this" {
  name = "${var.name}-msk-connect"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "kafkaconnect.amazonaws.com" }
      Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "msk-connect"
  role   = aws_iam_role.this.id
  policy = jsonencode({ Version = "2012-10-17", Statement = local.statements })
}

resource "aws_mskconnect_custom_plugin" "this" {
  name         = var.name
  content_type = "ZIP"

  location {
    s3 {
      bucket_arn     = var.plugin_bucket_arn
      file_key       = var.plugin_s3_key
      object_version = var.plugin_object_version
    }
  }
}

resource "aws_mskconnect_worker_configuration" "this" {
  name                    = var.name
  properties_file_content = join("\n", [for k in sort(keys(local.worker_properties)) : "${k}=${local.worker_properties[k]}"])
}

resource "aws_mskconnect_connector" "this" {
  name                       = var.name
  kafkaconnect_version       = var.kafkaconnect_version
  service_execution_role_arn = aws_iam_role.this.arn
  connector_configuration    = var.connector_configuration

  capacity {
    autoscaling {
      mcu_count        = var.capacity.mcu_count
      min_worker_count = var.capacity.min_worker_count
      max_worker_count = var.capacity.max_worker_count

      scale_in_policy {
        cpu_utilization_percentage = var.capacity.scale_in_cpu_utilization
      }
      scale_out_policy {
        cpu_utilization_percentage = var.capacity.scale_out_cpu_utilization
      }
    }
  }

  kafka_cluster {
    apache_kafka_cluster {
      bootstrap_servers = var.bootstrap_servers
      vpc {
        security_groups = [local.security_group_id]
        subnets         = var.subnet_ids
      }
    }
  }

  kafka_cluster_client_authentication {
    authentication_type = "IAM"
  }

  kafka_cluster_encryption_in_transit {
    encryption_type = "TLS"
  }

  plugin {
    custom_plugin {
      arn      = aws_mskconnect_custom_plugin.this.arn
      revision = aws_mskconnect_custom_plugin.this.latest_revision
    }
  }

  worker_configuration {
    arn      = aws_mskconnect_worker_configuration.this.arn
    revision = aws_mskconnect_worker_configuration.this.latest_revision
  }

  log_delivery {
    worker_log_delivery {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.this.name
      }
    }
  }

  depends_on = [aws_iam_role_policy.this]
}
