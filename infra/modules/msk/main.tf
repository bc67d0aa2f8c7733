locals {
  auth = var.client_authentication

  client_ports = merge(
    length(local.auth.mtls_ca_arns) > 0 ? { tls = 9094 } : {},
    local.auth.scram ? { scram = 9096 } : {},
    local.auth.iam ? { iam = 9098 } : {},
  )

  express = startswith(var.broker_instance_type, "express.")

  # Express brokers fix replication (factor 3, min.insync.replicas 2, no unclean leader election) themselves and
  # accept only a subset of broker properties, so the module sets those three only on Standard brokers.
  replication_properties = local.express ? {} : {
    "default.replication.factor"     = tostring(min(3, var.number_of_broker_nodes))
    "min.insync.replicas"            = var.number_of_broker_nodes >= 3 ? "2" : "1"
    "unclean.leader.election.enable" = "false"
  }
  default_properties = {
    "auto.create.topics.enable"      = "false"
    "num.partitions"                 = "6"
    "allow.everyone.if.no.acl.found" = "false"
  }
  server_properties = merge(local.default_properties, local.replication_properties, var.server_properties)

  ingress_rules = merge(
    { for pair in setproduct(keys(var.allowed_client_security_groups), keys(local.client_ports)) :
      "${pair[0]}-${pair[1]}" => {
        port        = local.client_ports[pair[1]]
        source_sg   = var.allowed_client_security_groups[pair[0]]
        cidr        = null
        description = "Kafka ${pair[1]} (TLS) from ${pair[0]}"
      }
    },
    { for pair in setproduct(keys(var.allowed_client_cidrs), keys(local.client_ports)) :
      "${pair[0]}-${pair[1]}" => {
        port        = local.client_ports[pair[1]]
        source_sg   = null
        cidr        = var.allowed_client_cidrs[pair[0]]
        description = "Kafka ${pair[1]} (TLS) from ${pair[0]}"
      }
    },
  )
}

resource "aws_security_group" "this" {
  name        = "${var.name}-msk"
  description = "MSK brokers of ${var.name}: TLS client ports from named clients only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-msk" })
}

# Brokers talk to each other inside the security group (replication, controller traffic).
resource "aws_vpc_security_group_ingress_rule" "self" {
  security_group_id            = aws_security_group.this.id
  ip_protocol                  = "tcp"
  from_port                    = 9092
  to_port                      = 9098
  referenced_security_group_id = aws_security_group.this.id
  description                  = "Broker to broker"
}

resource "aws_vpc_security_group_ingress_rule" "clients" {
  for_each = local.ingress_rules

  security_group_id            = aws_security_group.this.id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = each.value.source_sg
  cidr_ipv4                    = each.value.cidr
  description                  = each.value.description
}

resource "aws_cloudwatch_log_group" "broker" {
  name              = "/sluice/msk/${var.name}/broker"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_msk_configuration" "this" {
  name              = "${var.name}-${replace(var.kafka_version, ".", "-")}"
  kafka_versions    = [var.kafka_version]
  description       = "Sluice broker configuration for ${var.name}"
  server_properties = join("\n", [for k in sort(keys(local.server_properties)) : "${k}=${local.server_properties[k]}"])

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_msk_cluster" "this" {
  cluster_name           = var.name
  kafka_version          = var.kafka_version
  number_of_broker_nodes = var.number_of_broker_nodes
  enhanced_monitoring    = var.enhanced_monitoring

  broker_node_group_info {
    instance_type   = var.broker_instance_type
    client_subnets  = var.subnet_ids
    security_groups = [aws_security_group.this.id]

    # Express brokers: storage is managed by MSK (no volumes).
    dynamic "storage_info" {
      for_each = local.express ? [] : [1]
      content {
        ebs_storage_info {
          volume_size = var.ebs_volume_size
        }
      }
    }

    dynamic "connectivity_info" {
      for_each = var.enable_multi_vpc_connectivity ? [1] : []
      content {
        vpc_connectivity {
          client_authentication {
            tls = local.auth.multi_vpc_tls
            sasl {
              iam   = local.auth.multi_vpc_iam
              scram = local.auth.multi_vpc_scram
            }
          }
        }
      }
    }
  }

  client_authentication {
    unauthenticated = false

    sasl {
      iam   = local.auth.iam
      scram = local.auth.scram
    }

    dynamic "tls" {
      for_each = length(local.auth.mtls_ca_arns) > 0 ? [1] : []
      content {
        certificate_authority_arns = local.auth.mtls_ca_arns
      }
    }
  }

  encryption_info {
    encryption_at_rest_kms_key_arn = var.kms_key_arn

    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.this.arn
    revision = aws_msk_configuration.this.latest_revision
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.broker.name
      }
    }
  }

  tags = var.tags

  lifecycle {
    # Storage autoscaling grows the volumes; do not shrink them back on the next apply.
    ignore_changes = [broker_node_group_info[0].storage_info[0].ebs_storage_info[0].volume_size]
  }
}

resource "aws_msk_scram_secret_association" "this" {
  count = length(var.scram_secret_arns) > 0 ? 1 : 0

  cluster_arn     = aws_msk_cluster.this.arn
  secret_arn_list = var.scram_secret_arns
}

resource "aws_appautoscaling_target" "storage" {
  count = var.storage_autoscaling_max_size > 0 && !local.express ? 1 : 0

  service_namespace  = "kafka"
  resource_id        = aws_msk_cluster.this.arn
  scalable_dimension = "kafka:broker-storage:VolumeSize"
  min_capacity       = 1
  max_capacity       = var.storage_autoscaling_max_size
}

resource "aws_appautoscaling_policy" "storage" {
  count = var.storage_autoscaling_max_size > 0 && !local.express ? 1 : 0

  name               = "${var.name}-broker-storage"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.storage[0].service_namespace
  resource_id        = aws_appautoscaling_target.storage[0].resource_id
  scalable_dimension = aws_appautoscaling_target.storage[0].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value     = var.storage_autoscaling_target_utilization
    disable_scale_in = true

    predefined_metric_specification {
      predefined_metric_type = "KafkaBrokerStorageUtilization"
    }
  }
}
