data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  self_managed = var.event_source.type == "self_managed"
  # Partial batch responses only with provisioned pollers (see README, "Failed batches"): without them a Kafka
  # event source could move past records the handler never stored. Without pollers the handler fails the whole
  # batch and Lambda retries it; the aggregation is idempotent, so a retry never counts a reading twice.
  partial_batch = var.provisioned_pollers != null
  replay_trusted = length(var.replay_trusted_principal_arns) > 0 ? var.replay_trusted_principal_arns : [
    "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
  ]
  msk = var.event_source.type == "msk"

  topic_prefix = local.msk ? replace(var.event_source.msk_cluster_arn, ":cluster/", ":topic/") : null
  group_prefix = local.msk ? replace(var.event_source.msk_cluster_arn, ":cluster/", ":group/") : null

  statements = concat(
    [
      {
        Sid      = "WriteOwnLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.this.arn}:*"]
      },
      {
        # The aggregator reads the windows its cache cannot vouch for with BatchGetItem, merges each with one
        # conditional PutItem, and reads with GetItem on a conflict that returned no item.
        Sid      = "AggregateTable"
        Effect   = "Allow"
        Action   = ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem"]
        Resource = [aws_dynamodb_table.this.arn]
      },
      {
        Sid      = "OnFailureDestination"
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = [aws_sqs_queue.on_failure.arn]
      },
      {
        Sid      = "UseKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = concat([var.kms_key_arn], var.additional_kms_key_arns)
      },
    ],
    local.self_managed ? [
      {
        Sid      = "ReadKafkaCredentials"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [var.event_source.secret_arn]
      },
      {
        # Event source mapping pollers run in the VPC. These EC2 actions do not support resource-level
        # restriction; they are control-plane calls, not data access.
        Sid      = "PollerNetworkInterfaces"
        Effect   = "Allow"
        Action   = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups"]
        Resource = ["*"]
      },
    ] : [],
    local.msk ? [
      {
        Sid      = "DescribeMsk"
        Effect   = "Allow"
        Action   = ["kafka:DescribeCluster", "kafka:DescribeClusterV2", "kafka:GetBootstrapBrokers"]
        Resource = [var.event_source.msk_cluster_arn]
      },
      {
        Sid      = "KafkaConnect"
        Effect   = "Allow"
        Action   = ["kafka-cluster:Connect", "kafka-cluster:DescribeClusterDynamicConfiguration"]
        Resource = [var.event_source.msk_cluster_arn]
      },
      {
        Sid      = "KafkaReadTopic"
        Effect   = "Allow"
        Action   = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]
        Resource = ["${local.topic_prefix}/${var.topic}"]
      },
      {
        Sid      = "KafkaConsumerGroup"
        Effect   = "Allow"
        Action   = ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"]
        Resource = ["${local.group_prefix}/${var.consumer_group_id}"]
      },
      {
        Sid      = "PollerNetworkInterfaces"
        Effect   = "Allow"
        Action   = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups"]
        Resource = ["*"]
      },
    ] : [],
  )

  poller_egress = local.self_managed ? {
    kafka = { port = var.event_source.broker_port, port_to = coalesce(var.event_source.broker_port_to, var.event_source.broker_port), sg = var.event_source.broker_security_group_id, description = "Kafka (TLS) to the broker endpoints" }
    aws   = { port = 443, port_to = 443, sg = var.event_source.endpoints_security_group_id, description = "HTTPS to Lambda, STS and Secrets Manager endpoints" }
  } : {}
}

# --------------------------------------------------------------------------- table
resource "aws_dynamodb_table" "this" {
  name                        = var.table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "device_id"
  range_key                   = "window_start"
  deletion_protection_enabled = var.table_deletion_protection

  attribute {
    name = "device_id"
    type = "N"
  }

  # Window start as epoch milliseconds (UTC), so windows sort and compare numerically.
  attribute {
    name = "window_start"
    type = "N"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  tags = var.tags
}

# --------------------------------------------------------------------------- failure destination
resource "aws_sqs_queue" "on_failure" {
  name                              = "${var.name}-on-failure"
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = 300
  message_retention_seconds         = 1209600
  tags                              = var.tags
}

# Only the aggregator's role may send to the queue, and only the replay role may read, delete or purge.
resource "aws_sqs_queue_policy" "on_failure" {
  queue_url = aws_sqs_queue.on_failure.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "OnlyTheReplayRoleReads"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:PurgeQueue"]
        Resource  = aws_sqs_queue.on_failure.arn
        Condition = { StringNotEquals = { "aws:PrincipalArn" = aws_iam_role.replay.arn } }
      },
      {
        Sid       = "OnlyTheAggregatorSends"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = ["sqs:SendMessage"]
        Resource  = aws_sqs_queue.on_failure.arn
        Condition = { StringNotEquals = { "aws:PrincipalArn" = aws_iam_role.this.arn } }
      },
    ]
  })
}

resource "aws_iam_role" "replay" {
  name = "${var.name}-replay"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = local.replay_trusted } }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "replay" {
  name = "sluice-aggregator-replay"
  role = aws_iam_role.replay.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadFailedBatches"
        Effect   = "Allow"
        Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
        Resource = [aws_sqs_queue.on_failure.arn]
      },
      {
        Sid      = "DecryptFailedBatches"
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = [var.kms_key_arn]
      },
    ]
  })
}

# Any message in the queue is a batch that exhausted its retries: alarm on the first one.
resource "aws_cloudwatch_metric_alarm" "on_failure_depth" {
  alarm_name          = "${var.name}-on-failure-depth"
  alarm_description   = "Batches of ${var.name} that failed every retry are waiting in ${aws_sqs_queue.on_failure.name}; replay them with the replay role."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.on_failure.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

# --------------------------------------------------------------------------- function
resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_iam_role" "this" {
  name = "${var.name}-lambda"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "sluice-aggregator"
  role   = aws_iam_role.this.id
  policy = jsonencode({ Version = "2012-10-17", Statement = local.statements })
}

resource "aws_lambda_function" "this" {
  function_name     = var.name
  role              = aws_iam_role.this.arn
  runtime           = var.runtime
  handler           = var.handler
  s3_bucket         = var.artifact_bucket_name
  s3_key            = var.lambda_jar_s3_key
  s3_object_version = var.lambda_jar_object_version
  memory_size       = var.memory_size
  timeout           = var.timeout
  kms_key_arn       = var.kms_key_arn
  publish           = var.snap_start

  environment {
    variables = {
      SLUICE_TABLE                      = aws_dynamodb_table.this.name
      SLUICE_WINDOW                     = var.aggregation.window
      SLUICE_ALLOWED_LATENESS           = var.aggregation.allowed_lateness
      SLUICE_TTL                        = var.aggregation.ttl
      SLUICE_WRITE_CONCURRENCY          = tostring(var.aggregation.write_concurrency)
      SLUICE_REPORT_BATCH_ITEM_FAILURES = tostring(local.partial_batch)
      JAVA_TOOL_OPTIONS                 = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
    }
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  dynamic "snap_start" {
    for_each = var.snap_start ? [1] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  tags = var.tags

  depends_on = [aws_iam_role_policy.this]
}

# --------------------------------------------------------------------------- event source
resource "aws_security_group" "poller" {
  count = local.self_managed ? 1 : 0

  name        = "${var.name}-esm"
  description = "Kafka event source mapping pollers: egress to the brokers and AWS endpoints only"
  vpc_id      = var.event_source.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-esm" })
}

resource "aws_vpc_security_group_egress_rule" "poller" {
  for_each = local.poller_egress

  security_group_id            = aws_security_group.poller[0].id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port_to
  referenced_security_group_id = each.value.sg
  description                  = each.value.description
}

resource "aws_lambda_event_source_mapping" "this" {
  function_name                      = aws_lambda_function.this.arn
  topics                             = [var.topic]
  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = var.maximum_batching_window_in_seconds
  starting_position                  = var.starting_position
  function_response_types            = local.partial_batch ? ["ReportBatchItemFailures"] : []

  dynamic "provisioned_poller_config" {
    for_each = local.partial_batch ? [var.provisioned_pollers] : []
    content {
      minimum_pollers = provisioned_poller_config.value.minimum_pollers
      maximum_pollers = provisioned_poller_config.value.maximum_pollers
    }
  }

  event_source_arn = local.msk ? var.event_source.msk_cluster_arn : null

  dynamic "amazon_managed_kafka_event_source_config" {
    for_each = local.msk ? [1] : []
    content {
      consumer_group_id = var.consumer_group_id
    }
  }

  dynamic "self_managed_event_source" {
    for_each = local.self_managed ? [1] : []
    content {
      endpoints = { KAFKA_BOOTSTRAP_SERVERS = var.event_source.bootstrap_servers }
    }
  }

  dynamic "self_managed_kafka_event_source_config" {
    for_each = local.self_managed ? [1] : []
    content {
      consumer_group_id = var.consumer_group_id
    }
  }

  dynamic "source_access_configuration" {
    for_each = local.self_managed ? concat(
      [{ type = "SASL_SCRAM_512_AUTH", uri = var.event_source.secret_arn }],
      [for s in var.event_source.subnet_ids : { type = "VPC_SUBNET", uri = "subnet:${s}" }],
      [{ type = "VPC_SECURITY_GROUP", uri = "security_group:${aws_security_group.poller[0].id}" }],
    ) : []
    content {
      type = source_access_configuration.value.type
      uri  = source_access_configuration.value.uri
    }
  }

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.on_failure.arn
    }
  }

  depends_on = [aws_iam_role_policy.this]
}
