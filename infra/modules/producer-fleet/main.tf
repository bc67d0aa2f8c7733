data "aws_region" "current" {}
data "aws_partition" "current" {}

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
    log_group         = local.log_group_name
  })

  log_group_name = "/sluice/producer/${var.name}"

  # arn:aws:kafka:<r>:<a>:cluster/<name>/<uuid> -> topic/<name>/<uuid>/<topic>
  topic_arn = var.msk_cluster_arn == null ? null : "${replace(var.msk_cluster_arn, ":cluster/", ":topic/")}/${var.topic}"

  egress_rules = {
    kafka = { port = var.kafka_port, security_group_id = var.kafka_security_group_id, description = "Kafka (TLS) to the brokers" }
    aws   = { port = 443, security_group_id = var.endpoints_security_group_id, description = "HTTPS to SSM, Secrets Manager, KMS and logs endpoints" }
    s3    = { port = 443, prefix_list_id = var.s3_prefix_list_id, description = "HTTPS to S3 through the gateway endpoint" }
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

module "fleet" {
  source = "../ec2-fleet"

  name               = "${var.name}-producer"
  description        = "Sluice producers: no ingress; egress to Kafka, AWS endpoints and S3 only"
  vpc_id             = var.vpc_id
  subnet_ids         = var.subnet_ids
  ami_ssm_parameter  = var.ami_ssm_parameter
  instance_type      = var.instance_type
  root_volume_size   = var.root_volume_size
  kms_key_arn        = var.kms_key_arn
  user_data          = local.user_data
  log_group_name     = local.log_group_name
  log_retention_days = var.log_retention_days
  policy_name        = "sluice-producer"
  policy_statements  = local.policy_statements
  egress_rules       = local.egress_rules
  min_size           = var.min_size
  max_size           = var.max_size
  desired_capacity   = var.desired_capacity
  tags               = var.tags
}

# Resources that moved into the shared fleet module keep their state.
moved {
  from = aws_cloudwatch_log_group.this
  to   = module.fleet.aws_cloudwatch_log_group.this
}
moved {
  from = aws_security_group.this
  to   = module.fleet.aws_security_group.this
}
moved {
  from = aws_vpc_security_group_egress_rule.this
  to   = module.fleet.aws_vpc_security_group_egress_rule.this
}
moved {
  from = aws_iam_role.this
  to   = module.fleet.aws_iam_role.this
}
moved {
  from = aws_iam_role_policy_attachment.ssm
  to   = module.fleet.aws_iam_role_policy_attachment.ssm
}
moved {
  from = aws_iam_role_policy.this
  to   = module.fleet.aws_iam_role_policy.this
}
moved {
  from = aws_iam_instance_profile.this
  to   = module.fleet.aws_iam_instance_profile.this
}
moved {
  from = aws_launch_template.this
  to   = module.fleet.aws_launch_template.this
}
moved {
  from = aws_autoscaling_group.this
  to   = module.fleet.aws_autoscaling_group.this
}
