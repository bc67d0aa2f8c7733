# Hub account A creates a Transit Gateway, shares it with account B and routes to B's VPC CIDR.
provider "aws" {
  region = "eu-west-1"
}

module "tgw" {
  source = "../../"

  name                   = "sluice-example"
  create_transit_gateway = true
  share_with_account_ids = ["222222222222"]
  vpc_id                 = "vpc-0123456789abcdef0"
  subnet_ids             = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  route_table_ids        = ["rtb-0123456789abcdef0", "rtb-0123456789abcdef1"]
  destination_cidrs      = { connect_vpc = "10.60.0.0/16" }
}

output "transit_gateway_id" {
  value = module.tgw.transit_gateway_id
}
