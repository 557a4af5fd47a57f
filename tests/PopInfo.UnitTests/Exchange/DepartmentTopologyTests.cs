using System.Text.RegularExpressions;
using PopInfo.Domain.Exchange;

namespace PopInfo.UnitTests.Exchange;

/// <summary>A department's broker user reaches exactly its own names: read its queue and its parking queue, write its inbound exchange.</summary>
public sealed class DepartmentTopologyTests
{
    [Theory]
    [InlineData("popinfo.dept.police", true)]
    [InlineData("popinfo.dept.police.inbound.parked", true)]
    [InlineData("popinfo.dept.police.inbound", false)]
    [InlineData("popinfo.dept.police2", false)]
    [InlineData("popinfo.dept.police-x", false)]
    [InlineData("popinfo.dept.health", false)]
    [InlineData("popinfo.dept.health.inbound.parked", false)]
    [InlineData("popinfo.dept.police.inbound.parked.x", false)]
    [InlineData("popinfo.dept.policeXinboundXparked", false)]
    [InlineData("popinfo.exchange.inbound.parked", false)]
    [InlineData("popinfo.exchange.inbound", false)]
    [InlineData("", false)]
    public void The_read_permission_names_its_queue_and_its_parking_queue_and_nothing_else(string resource, bool allowed)
    {
        Assert.Equal(allowed, Regex.IsMatch(resource, DepartmentTopology.ReadPermission("police")));
    }

    [Theory]
    [InlineData("popinfo.dept.civil-affairs.inbound", true)]
    [InlineData("popinfo.dept.civil-affairs", false)]
    [InlineData("popinfo.dept.civil-affairs.inbound.parked", false)]
    [InlineData("popinfo.dept.civil-affairsXinbound", false)]
    [InlineData("popinfo.exchange.inbound", false)]
    public void The_write_permission_names_its_inbound_exchange_only(string resource, bool allowed)
    {
        Assert.Equal(allowed, Regex.IsMatch(resource, DepartmentTopology.WritePermission("civil-affairs")));
    }

    [Fact]
    public void It_may_declare_nothing()
    {
        Assert.DoesNotMatch(DepartmentTopology.ConfigurePermission, DepartmentTopology.ParkingQueue("police"));
        Assert.DoesNotMatch(DepartmentTopology.ConfigurePermission, DepartmentTopology.Queue("police"));
    }

    [Fact]
    public void A_message_is_parked_in_its_departments_queue_only_when_the_department_exists()
    {
        Assert.Equal("popinfo.dept.police.inbound.parked", InboundParking.QueueFor("police", departmentExists: true));
        Assert.Equal(DepartmentTopology.PlatformParkingQueue, InboundParking.QueueFor("police", departmentExists: false));
        Assert.Equal(DepartmentTopology.PlatformParkingQueue, InboundParking.QueueFor(null, departmentExists: false));
    }

    [Theory]
    [InlineData(InboundParking.MaxMessageBytes, false)]
    [InlineData(InboundParking.MaxMessageBytes + 1L, true)]
    [InlineData(0, false)]
    public void A_message_over_16_MiB_is_not_read(long bytes, bool tooLarge)
    {
        Assert.Equal(tooLarge, InboundParking.TooLarge(bytes));
    }
}
