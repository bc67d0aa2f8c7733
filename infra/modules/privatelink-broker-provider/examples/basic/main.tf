# Producer account: expose each broker of an existing cluster through its own NLB and endpoint service.
provider "aws" {
  region = "eu-west-1"
}

variable "cluster_arn" {
  type    = string
  default = "arn:aws:kafka:eu-west-1:111111111111:cluster/sluice/11111111-2222-3333-4444-555555555555-1"
}

data "aws_msk_broker_nodes" "this" {
  cluster_arn = var.cluster_arn
}

module "brokers" {
  source = "../../"

  name       = "sluice-example"
  vpc_id     = "vpc-0123456789abcdef0"
  subnet_ids = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  broker_ids = ["1", "2"]
  broker_nodes = { for n in data.aws_msk_broker_nodes.this.node_info_list : tostring(n.broker_id) => {
    host = sort(tolist(n.endpoints))[0]
    ip   = n.client_vpc_ip_address
  } }
  broker_port            = 9096
  msk_security_group_id  = "sg-0123456789abcdef0"
  allowed_principal_arns = ["arn:aws:iam::222222222222:role/sluice-consumer-deploy"]
  kms_key_arn            = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  broker_map_secret_name = "sluice-example/broker-map"
}

output "broker_map_secret_arn" {
  value = module.brokers.broker_map_secret_arn
}
