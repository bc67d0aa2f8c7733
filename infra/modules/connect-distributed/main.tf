data "aws_region" "current" {}
data "aws_partition" "current" {}

data "aws_ssm_parameter" "ami" {
  name = var.ami_ssm_parameter
}

locals {
  region    = data.aws_region.current.name
  partition = data.aws_partition.current.partition

  auth_properties = var.kafka_auth == "IAM" ? {
    "sasl.mechanism"                     = "AWS_MSK_IAM"
    "sasl.jaas.config"                   = "software.amazon.msk.auth.iam.IAMLoginModule required;"
    "sasl.client.callback.handler.class" = "software.amazon.msk.auth.iam.IAMClientCallbackHandler"
    } : {
    "sasl.mechanism" = "SCRAM-SHA-512"
  }

  # The same client settings apply to the worker's own clients and to the producer/consumer/admin clients it
  # creates for connectors.
  client_properties = merge(
    { for k, v in merge({ "security.protocol" = "SASL_SSL" }, local.auth_properties) : k => v },
    { for k, v in merge({ "security.protocol" = "SASL_SSL" }, local.auth_properties) : "producer.${k}" => v },
    { for k, v in merge({ "security.protocol" = "SASL_SSL" }, local.auth_properties) : "consumer.${k}" => v },
    { for k, v in merge({ "security.protocol" = "SASL_SSL" }, local.auth_properties) : "admin.${k}" => v },
  )

  worker_properties_map = merge({
    "bootstrap.servers"                 = var.bootstrap_servers
    "group.id"                          = var.name
    "config.storage.topic"              = "${var.name}-configs"
    "offset.storage.topic"              = "${var.name}-offsets"
    "status.storage.topic"              = "${var.name}-status"
    "config.storage.replication.factor" = tostring(var.internal_topic_replication_factor)
    "offset.storage.replication.factor" = tostring(var.internal_topic_replication_factor)
    "status.storage.replication.factor" = tostring(var.internal_topic_replication_factor)
    "offset.storage.partitions"         = "25"
    "status.storage.partitions"         = "5"
    "key.converter"                     = "org.apache.kafka.connect.storage.StringConverter"
    "value.converter"                   = "org.apache.kafka.connect.json.JsonConverter"
    "value.converter.schemas.enable"    = "false"
    "plugin.path"                       = "/opt/connect-plugins"
    # listeners and rest.advertised.host.name are added at start with the instance's private address (never
    # all interfaces). Connectors may not override their client configs, so no connector can swap in other credentials.
    "rest.advertised.port"                         = "8083"
    "connector.client.config.override.policy"      = "None"
    "config.providers"                             = "secretsmanager"
    "config.providers.secretsmanager.class"        = var.config_provider_class
    "config.providers.secretsmanager.param.region" = local.region
    }, var.rest_basic_auth_secret_arn == null ? {} : {
    # HTTP basic authentication on the REST API; users come from rest_basic_auth_secret_arn at start.
    "rest.extension.classes" = "org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension"
  }, local.client_properties)

  worker_properties = join("\n", [for k in sort(keys(local.worker_properties_map)) : "${k}=${local.worker_properties_map[k]}"])

  connectors_json = { for name, cfg in var.connectors : name => jsonencode(cfg) }

  user_data = templatefile("${path.module}/templates/user-data.sh.tftpl", {
    java_package      = var.java_package
    region            = local.region
    bucket            = var.artifact_bucket_name
    kafka_key         = var.kafka_distribution_s3_key
    plugin_keys       = var.plugin_s3_keys
    worker_properties = local.worker_properties
    connectors        = local.connectors_json
    kafka_auth        = var.kafka_auth
    scram_secret_arn  = coalesce(var.scram_secret_arn, "none")
    rest_auth_secret  = coalesce(var.rest_basic_auth_secret_arn, "none")
    heap_opts         = var.heap_opts
    log_group         = aws_cloudwatch_log_group.this.name
  })

  egress_rules = merge(
    {
      kafka = {
        port        = var.kafka_port
        sg          = var.kafka_destination.security_group_id
        cidr        = var.kafka_destination.cidr
        prefix_list = null
        description = "Kafka (TLS) to the brokers"
      }
      aws = { port = 443, sg = var.endpoints_security_group_id, cidr = null, prefix_list = null, description = "HTTPS to AWS service endpoints" }
      s3  = { port = 443, sg = null, cidr = null, prefix_list = var.s3_prefix_list_id, description = "HTTPS to S3 through the gateway endpoint" }
      # Workers forward REST requests to the leader.
      rest = { port = 8083, sg = aws_security_group.this.id, cidr = null, prefix_list = null, description = "Connect REST to other workers" }
    },
    { for k, v in var.sink_destinations : "sink-${k}" => { port = v.port, sg = v.security_group_id, cidr = null, prefix_list = null, description = "${k} on ${v.port}" } },
  )

  topic_prefix = var.msk_cluster_arn == null ? null : replace(var.msk_cluster_arn, ":cluster/", ":topic/")
  group_prefix = var.msk_cluster_arn == null ? null : replace(var.msk_cluster_arn, ":cluster/", ":group/")

  policy_statements = concat(
    [
      {
        Sid      = "ReadArtifacts"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = [for k in concat([var.kafka_distribution_s3_key], var.plugin_s3_keys) : "arn:${local.partition}:s3:::${var.artifact_bucket_name}/${k}"]
      },
      {
        Sid      = "Decrypt"
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = concat([var.kms_key_arn], var.additional_kms_key_arns)
      },
      {
        Sid      = "ShipLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
        Resource = ["${aws_cloudwatch_log_group.this.arn}:*"]
      },
    ],
    length(compact(concat(var.secret_arns, [var.scram_secret_arn, var.rest_basic_auth_secret_arn]))) == 0 ? [] : [{
      Sid      = "ReadSecrets"
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = compact(concat(var.secret_arns, [var.scram_secret_arn, var.rest_basic_auth_secret_arn]))
    }],
    var.kafka_auth == "IAM" ? [
      {
        Sid      = "KafkaConnect"
        Effect   = "Allow"
        Action   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
        Resource = [var.msk_cluster_arn]
      },
      {
        Sid      = "KafkaTopics"
        Effect   = "Allow"
        Action   = ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:ReadData", "kafka-cluster:WriteData", "kafka-cluster:DescribeTopicDynamicConfiguration"]
        Resource = ["${local.topic_prefix}/${var.name}-*", "${local.topic_prefix}/__consumer_offsets"]
      },
      {
        Sid      = "KafkaReadConnectorTopics"
        Effect   = "Allow"
        Action   = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]
        Resource = distinct(flatten([for cfg in var.connectors : [for t in split(",", lookup(cfg, "topics", "")) : "${local.topic_prefix}/${trimspace(t)}" if trimspace(t) != ""]]))
      },
      {
        Sid      = "KafkaGroups"
        Effect   = "Allow"
        Action   = ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"]
        Resource = concat(["${local.group_prefix}/${var.name}"], [for n in keys(var.connectors) : "${local.group_prefix}/connect-${n}"])
      },
    ] : [],
  )
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/sluice/kafka-connect/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_security_group" "this" {
  name        = "${var.name}-connect"
  description = "Kafka Connect workers: REST between workers only; egress to Kafka, sinks and AWS endpoints"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-connect" })
}

resource "aws_vpc_security_group_ingress_rule" "rest_from_workers" {
  security_group_id            = aws_security_group.this.id
  ip_protocol                  = "tcp"
  from_port                    = 8083
  to_port                      = 8083
  referenced_security_group_id = aws_security_group.this.id
  description                  = "Connect REST between workers (request forwarding to the leader)"
}

resource "aws_vpc_security_group_egress_rule" "this" {
  for_each = local.egress_rules

  security_group_id            = aws_security_group.this.id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = each.value.sg
  cidr_ipv4                    = each.value.cidr
  prefix_list_id               = each.value.prefix_list
  description                  = each.value.description
}

resource "aws_iam_role" "this" {
  name = "${var.name}-connect"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "ssm" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_role_policy" "this" {
  name   = "kafka-connect"
  role   = aws_iam_role.this.id
  policy = jsonencode({ Version = "2012-10-17", Statement = local.policy_statements })

  lifecycle {
    precondition {
      condition     = var.kafka_auth != "SCRAM" || var.scram_secret_arn != null
      error_message = "scram_secret_arn is required when kafka_auth is SCRAM."
    }
    precondition {
      condition     = var.kafka_auth != "IAM" || var.msk_cluster_arn != null
      error_message = "msk_cluster_arn is required when kafka_auth is IAM."
    }
  }
}

resource "aws_iam_instance_profile" "this" {
  name = "${var.name}-connect"
  role = aws_iam_role.this.name
}

resource "aws_launch_template" "this" {
  name_prefix            = "${var.name}-connect-"
  image_id               = data.aws_ssm_parameter.ami.value
  instance_type          = var.instance_type
  vpc_security_group_ids = [aws_security_group.this.id]
  user_data              = base64encode(local.user_data)

  iam_instance_profile {
    arn = aws_iam_instance_profile.this.arn
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size           = var.root_volume_size
      volume_type           = "gp3"
      encrypted             = true
      kms_key_id            = var.kms_key_arn
      delete_on_termination = true
    }
  }

  monitoring {
    enabled = true
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(var.tags, { Name = "${var.name}-connect" })
  }

  tag_specifications {
    resource_type = "volume"
    tags          = merge(var.tags, { Name = "${var.name}-connect" })
  }

  tags = var.tags
}

resource "aws_autoscaling_group" "this" {
  name                = "${var.name}-connect"
  vpc_zone_identifier = var.subnet_ids
  min_size            = var.min_size
  max_size            = var.max_size
  desired_capacity    = var.desired_capacity
  health_check_type   = "EC2"

  launch_template {
    id      = aws_launch_template.this.id
    version = aws_launch_template.this.latest_version
  }

  # Replace one worker at a time so the group keeps running tasks during a rollout.
  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 50
    }
  }

  tag {
    key                 = "Name"
    value               = "${var.name}-connect"
    propagate_at_launch = true
  }
}
