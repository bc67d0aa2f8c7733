mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_ssm_parameter" {
    defaults = { value = "ami-0123456789abcdef0" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111111111111:role/sluice-producer" }
  }
  mock_resource "aws_iam_instance_profile" {
    defaults = { arn = "arn:aws:iam::111111111111:instance-profile/sluice-producer" }
  }
  mock_resource "aws_launch_template" {
    defaults = { id = "lt-0123456789abcdef0", latest_version = 1 }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:111111111111:log-group:/sluice/producer/sluice" }
  }
}

variables {
  name                        = "sluice"
  vpc_id                      = "vpc-1"
  subnet_ids                  = ["subnet-a", "subnet-b"]
  kms_key_arn                 = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  artifact_bucket_name        = "sluice-artifacts"
  producer_jar_s3_key         = "sluice-producer/0.1.0/sluice-producer-0.1.0-all.jar"
  bootstrap_servers           = "b-1.sluice.abc.c2.kafka.eu-west-1.amazonaws.com:9098"
  msk_cluster_arn             = "arn:aws:kafka:eu-west-1:111111111111:cluster/sluice/11111111-2222-3333-4444-555555555555-1"
  kafka_security_group_id     = "sg-msk"
  endpoints_security_group_id = "sg-endpoints"
  s3_prefix_list_id           = "pl-12345678"
}

run "iam_auth_fleet" {
  command = apply

  assert {
    condition     = module.fleet.launch_template.key_name == null
    error_message = "No SSH key pair may be attached."
  }
  assert {
    condition     = module.fleet.launch_template.http_tokens == "required"
    error_message = "IMDSv2 must be required."
  }
  assert {
    condition     = alltrue([for v in module.fleet.launch_template.volumes : v.encrypted == "true" && v.kms_key_id == var.kms_key_arn])
    error_message = "Root volume must be encrypted with the CMK."
  }
  assert {
    condition     = length(module.fleet.egress_rules) == 3 && alltrue([for r in module.fleet.egress_rules : r.cidr_ipv4 == null && r.cidr_ipv6 == null])
    error_message = "Egress must reference security groups or the S3 prefix list only, never CIDRs."
  }
  assert {
    condition     = module.fleet.egress_rules["kafka"].from_port == 9098 && module.fleet.egress_rules["kafka"].referenced_security_group_id == "sg-msk"
    error_message = "Kafka egress must go to the broker SG on the client port."
  }
  assert {
    condition     = module.fleet.managed_policy_arns == ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]
    error_message = "SSM access must be granted."
  }
  assert {
    condition     = alltrue(flatten([for s in jsondecode(module.fleet.iam_policy).Statement : [for a in s.Action : !strcontains(a, "*")]]))
    error_message = "No wildcard actions."
  }
  assert {
    condition     = alltrue(flatten([for s in jsondecode(module.fleet.iam_policy).Statement : [for r in s.Resource : r != "*"]]))
    error_message = "No wildcard resources for the producer's data-plane access."
  }
  assert {
    condition     = [for s in jsondecode(module.fleet.iam_policy).Statement : s.Resource if s.Sid == "KafkaWriteTopic"][0] == ["arn:aws:kafka:eu-west-1:111111111111:topic/sluice/11111111-2222-3333-4444-555555555555-1/sensor-readings"]
    error_message = "Write access only to the producer topic."
  }
  assert {
    condition     = strcontains(local.user_data, "aws s3 cp --region eu-west-1 \"s3://sluice-artifacts/sluice-producer/0.1.0/sluice-producer-0.1.0-all.jar\"") && strcontains(local.user_data, "-jar /opt/sluice/sluice-producer.jar produce --bootstrap-servers b-1.sluice.abc.c2.kafka.eu-west-1.amazonaws.com:9098 --topic sensor-readings --devices 10 --rate-per-device 10")
    error_message = "User data must fetch the jar from S3 and run it with the configured arguments."
  }
  assert {
    condition     = strcontains(local.user_data, "sasl.mechanism=AWS_MSK_IAM") && !strcontains(local.user_data, "secretsmanager get-secret-value")
    error_message = "IAM fleets use MSK IAM and read no secret."
  }
  assert {
    condition     = module.fleet.log_group_kms_key_id == var.kms_key_arn && module.fleet.log_group_name == "/sluice/producer/sluice"
    error_message = "Logs must be encrypted."
  }
}

run "scram_fleet_reads_secret_at_runtime" {
  command = apply

  variables {
    kafka_auth       = "SCRAM"
    kafka_port       = 9096
    msk_cluster_arn  = null
    scram_secret_arn = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:AmazonMSK_sluice_producer-AbCdEf"
  }

  assert {
    condition     = strcontains(local.user_data, "--secret-id 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:AmazonMSK_sluice_producer-AbCdEf'") && !can(regex("(?i)password\\\\?\"?[=:]\\\\?\"[^$%\\\\]", local.user_data))
    error_message = "User data must reference the secret ARN and contain no password."
  }
  assert {
    condition     = [for s in jsondecode(module.fleet.iam_policy).Statement : s.Resource if s.Sid == "ReadScramSecret"][0] == [var.scram_secret_arn]
    error_message = "Only the SCRAM secret may be read."
  }
  assert {
    condition     = length([for s in jsondecode(module.fleet.iam_policy).Statement : s if startswith(s.Sid, "Kafka")]) == 0
    error_message = "No kafka-cluster permissions for a SCRAM fleet."
  }
}

run "scram_requires_secret" {
  command = plan
  variables {
    kafka_auth = "SCRAM"
  }
  expect_failures = [var.scram_secret_arn]
}
