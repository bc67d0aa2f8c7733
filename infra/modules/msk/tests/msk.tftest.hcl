mock_provider "aws" {
  mock_resource "aws_msk_cluster" {
    defaults = {
      arn                          = "arn:aws:kafka:eu-west-1:111111111111:cluster/sluice/11111111-2222-3333-4444-555555555555-1"
      bootstrap_brokers_sasl_iam   = "b-1.sluice.abc.c2.kafka.eu-west-1.amazonaws.com:9098,b-2.sluice.abc.c2.kafka.eu-west-1.amazonaws.com:9098"
      bootstrap_brokers_sasl_scram = ""
      bootstrap_brokers_tls        = ""
    }
  }
  mock_resource "aws_msk_configuration" {
    defaults = {
      arn             = "arn:aws:kafka:eu-west-1:111111111111:configuration/sluice/11111111-2222-3333-4444-555555555555-1"
      latest_revision = 1
    }
  }
}

variables {
  name        = "sluice"
  vpc_id      = "vpc-123"
  subnet_ids  = ["subnet-a", "subnet-b"]
  kms_key_arn = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  allowed_client_security_groups = {
    producers = "sg-producers"
  }
  allowed_client_cidrs = {
    consumer_vpc = "10.30.0.0/16"
  }
}

run "defaults_are_encrypted_and_authenticated" {
  command = apply

  assert {
    condition     = aws_msk_cluster.this.encryption_info[0].encryption_in_transit[0].client_broker == "TLS" && aws_msk_cluster.this.encryption_info[0].encryption_in_transit[0].in_cluster
    error_message = "Client-broker and in-cluster traffic must be TLS."
  }
  assert {
    condition     = aws_msk_cluster.this.encryption_info[0].encryption_at_rest_kms_key_arn == var.kms_key_arn
    error_message = "Data at rest must use the customer managed key."
  }
  assert {
    condition     = aws_msk_cluster.this.client_authentication[0].unauthenticated == false && aws_msk_cluster.this.client_authentication[0].sasl[0].iam
    error_message = "IAM auth on, unauthenticated off by default."
  }
  assert {
    condition     = aws_msk_cluster.this.logging_info[0].broker_logs[0].cloudwatch_logs[0].enabled && aws_cloudwatch_log_group.broker.kms_key_id == var.kms_key_arn
    error_message = "Broker logs must go to a KMS-encrypted CloudWatch log group."
  }
  assert {
    condition     = aws_msk_cluster.this.configuration_info[0].arn == aws_msk_configuration.this.arn
    error_message = "The cluster must use the module's configuration."
  }
  assert {
    condition     = strcontains(aws_msk_configuration.this.server_properties, "auto.create.topics.enable=false") && strcontains(aws_msk_configuration.this.server_properties, "default.replication.factor=2")
    error_message = "Configuration must disable topic auto-creation and replicate across both brokers."
  }
  assert {
    condition     = aws_appautoscaling_target.storage[0].scalable_dimension == "kafka:broker-storage:VolumeSize" && aws_appautoscaling_target.storage[0].max_capacity == 1000
    error_message = "Storage autoscaling target missing."
  }
  assert {
    condition     = aws_appautoscaling_policy.storage[0].target_tracking_scaling_policy_configuration[0].predefined_metric_specification[0].predefined_metric_type == "KafkaBrokerStorageUtilization"
    error_message = "Storage autoscaling policy must track broker storage utilisation."
  }
  assert {
    condition     = local.client_ports == tomap({ iam = 9098 })
    error_message = "Only the IAM port should be open by default."
  }
  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.clients) == 2 && alltrue([for r in aws_vpc_security_group_ingress_rule.clients : r.from_port == 9098 && r.to_port == 9098])
    error_message = "One rule per named client on the IAM port, nothing else."
  }
  assert {
    condition     = alltrue([for r in aws_vpc_security_group_ingress_rule.clients : r.cidr_ipv4 != "0.0.0.0/0"])
    error_message = "No client rule may be open to the world."
  }
  assert {
    condition     = length(aws_msk_cluster.this.broker_node_group_info[0].connectivity_info) == 0
    error_message = "Multi-VPC connectivity must be off unless requested."
  }
}

run "scram_and_mtls_open_9094_and_9096" {
  command = apply

  variables {
    client_authentication = {
      iam          = false
      scram        = true
      mtls_ca_arns = ["arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/11111111-2222-3333-4444-555555555555"]
    }
    scram_secret_arns = ["arn:aws:secretsmanager:eu-west-1:111111111111:secret:AmazonMSK_sluice-abcdef"]
  }

  assert {
    condition     = local.client_ports == tomap({ tls = 9094, scram = 9096 })
    error_message = "mTLS and SCRAM ports expected."
  }
  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.clients) == 4
    error_message = "Two clients times two ports expected."
  }
  assert {
    condition     = aws_msk_scram_secret_association.this[0].secret_arn_list == toset(var.scram_secret_arns)
    error_message = "SCRAM secrets must be associated."
  }
  assert {
    condition     = length(aws_msk_cluster.this.client_authentication[0].tls[0].certificate_authority_arns) == 1
    error_message = "mTLS CA must be configured."
  }
}

run "multi_vpc_connectivity" {
  command = apply

  variables {
    enable_multi_vpc_connectivity = true
  }

  assert {
    condition     = aws_msk_cluster.this.broker_node_group_info[0].connectivity_info[0].vpc_connectivity[0].client_authentication[0].sasl[0].iam
    error_message = "Multi-VPC connectivity with IAM expected."
  }
}

run "rejects_t3_small_with_multi_vpc" {
  command = plan

  variables {
    enable_multi_vpc_connectivity = true
    broker_instance_type          = "kafka.t3.small"
  }

  expect_failures = [var.broker_instance_type]
}

run "rejects_no_authentication" {
  command = plan

  variables {
    client_authentication = { iam = false }
  }

  expect_failures = [var.client_authentication]
}

run "rejects_world_cidr" {
  command = plan

  variables {
    allowed_client_cidrs = { anyone = "0.0.0.0/0" }
  }

  expect_failures = [var.allowed_client_cidrs]
}

run "rejects_broker_count_not_multiple_of_subnets" {
  command = plan

  variables {
    number_of_broker_nodes = 3
  }

  expect_failures = [var.number_of_broker_nodes]
}

run "express_brokers_manage_their_storage" {
  command = apply

  variables {
    broker_instance_type   = "express.m7g.large"
    subnet_ids             = ["subnet-a", "subnet-b", "subnet-c"]
    number_of_broker_nodes = 3
  }

  assert {
    condition     = aws_msk_cluster.this.broker_node_group_info[0].instance_type == "express.m7g.large" && length(aws_msk_cluster.this.broker_node_group_info[0].storage_info) == 0
    error_message = "Express brokers have no EBS storage block (MSK manages their storage)."
  }
  assert {
    condition     = length(aws_appautoscaling_target.storage) == 0 && length(aws_appautoscaling_policy.storage) == 0
    error_message = "No storage autoscaling on Express brokers."
  }
  assert {
    condition     = !strcontains(aws_msk_configuration.this.server_properties, "min.insync.replicas") && !strcontains(aws_msk_configuration.this.server_properties, "default.replication.factor") && strcontains(aws_msk_configuration.this.server_properties, "allow.everyone.if.no.acl.found=false")
    error_message = "Express brokers fix replication themselves; ACLs still default to deny."
  }
  assert {
    condition     = aws_msk_cluster.this.client_authentication[0].unauthenticated == false && aws_msk_cluster.this.encryption_info[0].encryption_in_transit[0].client_broker == "TLS"
    error_message = "Express brokers keep authentication and TLS."
  }
}

run "rejects_express_in_two_azs" {
  command = plan
  variables {
    broker_instance_type = "express.m7g.large"
  }
  expect_failures = [var.broker_instance_type]
}

run "t3_small_still_rejected_with_multi_vpc" {
  command = plan
  variables {
    broker_instance_type          = "kafka.t3.small"
    enable_multi_vpc_connectivity = true
  }
  expect_failures = [var.broker_instance_type]
}
