data "aws_region" "current" {}
data "aws_partition" "current" {}

data "aws_ssm_parameter" "ami" {
  name = var.ami_ssm_parameter
}

locals {
  region = data.aws_region.current.name

  client_properties = var.kafka_auth == "IAM" ? join("\n", [
    "security.protocol=SASL_SSL",
    "sasl.mechanism=AWS_MSK_IAM",
    "sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required;",
    "sasl.client.callback.handler.class=software.amazon.msk.auth.iam.IAMClientCallbackHandler",
    ]) : join("\n", [
    "security.protocol=SASL_SSL",
    "sasl.mechanism=SCRAM-SHA-512",
  ])

  producer_args = join(" ", concat([
    "produce",
    "--bootstrap-servers", var.bootstrap_servers,
    "--topic", var.topic,
    "--devices", tostring(var.devices),
    "--rate-per-device", tostring(var.rate_per_device),
    "--first-device-id", tostring(var.first_device_id),
    "--producer-config-file", "/run/sluice/client.properties",
  ], var.extra_producer_args))

  user_data = templatefile("${path.module}/templates/user-data.sh.tftpl", {
    java_package      = var.java_package
    region            = local.region
    bucket            = var.artifact_bucket_name
    jar_key           = var.producer_jar_s3_key
    client_properties = local.client_properties
    kafka_auth        = var.kafka_auth
    scram_secret_arn  = coalesce(var.scram_secret_arn, "none")
    producer_args     = local.producer_args
    log_group         = aws_cloudwatch_log_group.this.name
  })

  # arn:aws:kafka:<r>:<a>:cluster/<name>/<uuid> -> topic/<name>/<uuid>/<topic>
  topic_arn = var.msk_cluster_arn == null ? null : "${replace(var.msk_cluster_arn, ":cluster/", ":topic/")}/${var.topic}"

  egress_rules = {
    kafka = { port = var.kafka_port, sg = var.kafka_security_group_id, prefix_list = null, description = "Kafka (TLS) to the brokers" }
    aws   = { port = 443, sg = var.endpoints_security_group_id, prefix_list = null, description = "HTTPS to SSM, Secrets Manager, KMS and logs endpoints" }
    s3    = { port = 443, sg = null, prefix_list = var.s3_prefix_list_id, description = "HTTPS to S3 through the gateway endpoint" }
  }

  policy_statements = concat(
    [
      {
        Sid      = "ReadProducerJar"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["arn:${data.aws_partition.current.partition}:s3:::${var.artifact_bucket_name}/${var.producer_jar_s3_key}"]
      },
      {
        Sid      = "DecryptArtifactsAndSecrets"
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = [var.kms_key_arn]
      },
      {
        Sid      = "ShipLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
        Resource = ["${aws_cloudwatch_log_group.this.arn}:*"]
      },
    ],
    var.kafka_auth == "SCRAM" ? [{
      Sid      = "ReadScramSecret"
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = [var.scram_secret_arn]
    }] : [],
    var.kafka_auth == "IAM" ? [
      {
        Sid      = "KafkaConnect"
        Effect   = "Allow"
        Action   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
        Resource = [var.msk_cluster_arn]
      },
      {
        Sid      = "KafkaWriteTopic"
        Effect   = "Allow"
        Action   = ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"]
        Resource = [local.topic_arn]
      },
    ] : [],
  )
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/sluice/producer/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_security_group" "this" {
  name        = "${var.name}-producer"
  description = "Sluice producers: no ingress; egress to Kafka, AWS endpoints and S3 only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-producer" })
}

resource "aws_vpc_security_group_egress_rule" "this" {
  for_each = local.egress_rules

  security_group_id            = aws_security_group.this.id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = each.value.sg
  prefix_list_id               = each.value.prefix_list
  description                  = each.value.description
}

resource "aws_iam_role" "this" {
  name = "${var.name}-producer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
  tags = var.tags
}

# Session Manager access (the only way in: no key pair, no SSH, no ingress rule).
resource "aws_iam_role_policy_attachment" "ssm" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_role_policy" "this" {
  name   = "sluice-producer"
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
  name = "${var.name}-producer"
  role = aws_iam_role.this.name
}

resource "aws_launch_template" "this" {
  name_prefix            = "${var.name}-producer-"
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
    tags          = merge(var.tags, { Name = "${var.name}-producer" })
  }

  tag_specifications {
    resource_type = "volume"
    tags          = merge(var.tags, { Name = "${var.name}-producer" })
  }

  tags = var.tags
}

resource "aws_autoscaling_group" "this" {
  name                = "${var.name}-producer"
  vpc_zone_identifier = var.subnet_ids
  min_size            = var.min_size
  max_size            = var.max_size
  desired_capacity    = var.desired_capacity
  health_check_type   = "EC2"

  launch_template {
    id      = aws_launch_template.this.id
    version = aws_launch_template.this.latest_version
  }

  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 50
    }
  }

  tag {
    key                 = "Name"
    value               = "${var.name}-producer"
    propagate_at_launch = true
  }
}
