data "aws_region" "current" {}
data "aws_partition" "current" {}

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
    log_group         = local.log_group_name
  })

  log_group_name = "/sluice/kafka-connect/${var.name}"

  egress_rules = merge(
    {
      kafka = {
        port              = var.kafka_port
        security_group_id = var.kafka_destination.security_group_id
        cidr              = var.kafka_destination.cidr
        description       = "Kafka (TLS) to the brokers"
      }
      aws = { port = 443, security_group_id = var.endpoints_security_group_id, description = "HTTPS to AWS service endpoints" }
      s3  = { port = 443, prefix_list_id = var.s3_prefix_list_id, description = "HTTPS to S3 through the gateway endpoint" }
      # Workers forward REST requests to the leader: to the workers' own security group.
      rest = { port = 8083, security_group_id = "self", description = "Connect REST to other workers" }
    },
    { for k, v in var.sink_destinations : "sink-${k}" => { port = v.port, security_group_id = v.security_group_id, description = "${k} on ${v.port}" } },
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

module "fleet" {
  source = "../ec2-fleet"

  name               = "${var.name}-connect"
  description        = "Kafka Connect workers: REST between workers only; egress to Kafka, sinks and AWS endpoints"
  vpc_id             = var.vpc_id
  subnet_ids         = var.subnet_ids
  ami_ssm_parameter  = var.ami_ssm_parameter
  instance_type      = var.instance_type
  root_volume_size   = var.root_volume_size
  kms_key_arn        = var.kms_key_arn
  user_data          = local.user_data
  log_group_name     = local.log_group_name
  log_retention_days = var.log_retention_days
  policy_name        = "kafka-connect"
  policy_statements  = local.policy_statements
  egress_rules       = local.egress_rules
  # Connect REST between workers (request forwarding to the leader), within the group only.
  ingress_from_self_ports = { "8083" = "Connect REST between workers (request forwarding to the leader)" }
  min_size                = var.min_size
  max_size                = var.max_size
  desired_capacity        = var.desired_capacity
  tags                    = var.tags
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
  from = aws_vpc_security_group_ingress_rule.rest_from_workers
  to   = module.fleet.aws_vpc_security_group_ingress_rule.self["8083"]
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
