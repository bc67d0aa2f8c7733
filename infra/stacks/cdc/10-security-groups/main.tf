# Stage 1 of 4: network, key, artifact bucket and the security groups of the database and the connector.
# Rules are added by the later stages, each naming exactly its peer.
locals {
  stack = "cdc-10-security-groups"
}

data "aws_region" "current" {}

module "kms" {
  source = "../../../modules/kms-key"

  name               = var.name
  service_principals = ["logs.${data.aws_region.current.name}.amazonaws.com"]
}

module "network" {
  source = "../../../modules/network"

  name       = var.name
  cidr_block = var.vpc_cidr
  azs        = var.azs
}

module "artifacts" {
  source = "../../../modules/artifact-bucket"

  bucket_name = var.artifact_bucket_name
  kms_key_arn = module.kms.key_arn
}

resource "aws_security_group" "database" {
  name        = "${var.name}-aurora"
  description = "Aurora MySQL: 3306 from the Debezium connector only (rule added by stage 20)"
  vpc_id      = module.network.vpc_id
  tags        = { Name = "${var.name}-aurora" }
}

resource "aws_security_group" "connector" {
  name        = "${var.name}-debezium"
  description = "Debezium on MSK Connect: egress to Aurora, MSK and AWS endpoints only (rules added by stage 40)"
  vpc_id      = module.network.vpc_id
  tags        = { Name = "${var.name}-debezium" }
}
