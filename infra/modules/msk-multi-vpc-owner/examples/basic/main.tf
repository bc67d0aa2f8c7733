# Owner account: let account 222222222222 create a multi-VPC connection and read one topic with IAM auth.
provider "aws" {
  region = "eu-west-1"
}

variable "cluster_arn" {
  type    = string
  default = "arn:aws:kafka:eu-west-1:111111111111:cluster/sluice/11111111-2222-3333-4444-555555555555-1"
}

module "owner" {
  source = "../../"

  cluster_arn           = var.cluster_arn
  client_principal_arns = ["arn:aws:iam::222222222222:role/sluice-consumer-deploy"]
  read_topics           = ["sensor-readings"]
  consumer_groups       = ["sluice-aggregator"]
}
