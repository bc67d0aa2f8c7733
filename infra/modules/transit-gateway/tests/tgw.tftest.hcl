mock_provider "aws" {
  mock_resource "aws_ec2_transit_gateway" {
    defaults = {
      id  = "tgw-0123456789abcdef0"
      arn = "arn:aws:ec2:eu-west-1:111111111111:transit-gateway/tgw-0123456789abcdef0"
    }
  }
  mock_resource "aws_ram_resource_share" {
    defaults = { arn = "arn:aws:ram:eu-west-1:111111111111:resource-share/11111111-2222-3333-4444-555555555555" }
  }
}

variables {
  name              = "sluice"
  vpc_id            = "vpc-a"
  subnet_ids        = ["subnet-a", "subnet-b"]
  route_table_ids   = ["rtb-a", "rtb-b"]
  destination_cidrs = { connect_vpc = "10.60.0.0/16" }
}

run "hub_creates_and_shares" {
  command = apply

  variables {
    create_transit_gateway = true
    share_with_account_ids = ["222222222222"]
  }

  assert {
    condition     = length(aws_ec2_transit_gateway.this) == 1 && aws_ram_principal_association.this["222222222222"].principal == "222222222222"
    error_message = "Hub must create the gateway and share it with the spoke account."
  }
  assert {
    condition     = aws_ec2_transit_gateway_vpc_attachment.this.transit_gateway_id == "tgw-0123456789abcdef0"
    error_message = "Hub VPC must attach to the created gateway."
  }
  assert {
    condition     = length(aws_route.remote) == 2 && alltrue([for r in aws_route.remote : r.destination_cidr_block == "10.60.0.0/16" && r.transit_gateway_id == "tgw-0123456789abcdef0"])
    error_message = "Every route table needs exactly the remote CIDR via the gateway."
  }
  assert {
    condition     = aws_ec2_transit_gateway.this[0].auto_accept_shared_attachments == "disable" && length(aws_ec2_transit_gateway_vpc_attachment_accepter.spoke) == 0
    error_message = "Shared attachments must not be accepted automatically; the hub accepts named attachments."
  }
}

run "hub_accepts_named_attachments" {
  command = apply

  variables {
    create_transit_gateway = true
    share_with_account_ids = ["222222222222"]
    accept_attachment_ids  = ["tgw-attach-0123456789abcdef0"]
  }

  assert {
    condition     = aws_ec2_transit_gateway_vpc_attachment_accepter.spoke["tgw-attach-0123456789abcdef0"].transit_gateway_attachment_id == "tgw-attach-0123456789abcdef0" && aws_ec2_transit_gateway.this[0].auto_accept_shared_attachments == "disable"
    error_message = "The hub accepts exactly the attachments it names."
  }
}

run "spoke_attaches_to_existing" {
  command = apply

  variables {
    transit_gateway_id           = "tgw-0fedcba9876543210"
    resource_share_arn_to_accept = "arn:aws:ram:eu-west-1:111111111111:resource-share/11111111-2222-3333-4444-555555555555"
    destination_cidrs            = { msk_vpc = "10.50.0.0/16" }
  }

  assert {
    condition     = length(aws_ec2_transit_gateway.this) == 0 && length(aws_ram_resource_share.this) == 0 && length(aws_ram_resource_share_accepter.this) == 1
    error_message = "Spoke must not create a gateway and must accept the share."
  }
  assert {
    condition     = aws_ec2_transit_gateway_vpc_attachment.this.transit_gateway_id == "tgw-0fedcba9876543210"
    error_message = "Spoke must attach to the shared gateway."
  }
}

run "rejects_default_route" {
  command = plan
  variables {
    transit_gateway_id = "tgw-1"
    destination_cidrs  = { everything = "0.0.0.0/0" }
  }
  expect_failures = [var.destination_cidrs]
}

run "requires_a_gateway" {
  command         = plan
  expect_failures = [aws_ec2_transit_gateway_vpc_attachment.this]
}
