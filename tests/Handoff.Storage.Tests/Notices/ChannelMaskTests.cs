using Handoff.Storage.Notices.Channels;

namespace Handoff.Storage.Tests.Notices;

/// <summary>A channel's address as the 通知渠道 page and the logs show it: never most of a credential, in the query or in the path.</summary>
public class ChannelMaskTests
{
    [Theory]
    [InlineData("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a********5aaa")]
    [InlineData("https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123", "https://oapi.dingtalk.com/robot/send?access_token=0123********0123")]
    [InlineData("https://open.feishu.cn/open-apis/bot/v2/hook/2b1f0c6e-aaaa-bbbb-cccc-0123456789ab", "https://open.feishu.cn/open-apis/bot/v2/hook/2b1f********89ab")]
    [InlineData("https://gw.example.gov.cn/robot/0123456789abcdef0123/send?key=abcdefghijkl", "https://gw.example.gov.cn/robot/0123********0123/send?key=ab**********")]
    [InlineData("https://gw.example.gov.cn/hooks/abcdefghijklmnopqrst?tenant=gd", "https://gw.example.gov.cn/hooks/abcd********qrst?tenant=**")]
    public void Masked_HidesTheKey_InTheQueryAndInTheLastPathSegment(string url, string shown) =>
        Assert.Equal(shown, ChannelTarget.Masked(new Uri(url)));
}
