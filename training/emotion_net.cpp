#include "emotion_net.hpp"

#include <functional>
#include <stdexcept>
#include <utility>

namespace dangpli::training {
namespace {

constexpr int kClasses = 7;
// Channels per hidden unit of a squeeze-and-excitation gate: 12, 24 and 48 units for resnet-wide's stages.
constexpr int kExcitationReduction = 4;

torch::nn::Conv2d conv3x3(int in, int out, int stride) {
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).stride(stride).padding(1).bias(false));
}

torch::nn::Conv2d conv1x1_with_bias(int in, int out) {
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 1).bias(true));
}

// Two 3x3 conv+BN with an identity (or 1x1 conv+BN) shortcut; optionally a squeeze-and-excitation
// gate (Hu et al. 2018) that rescales the residual's channels by a function of their global means.
// Its two 1x1 convolutions are registered between bn2 and the shortcut, the order in which to_onnx
// writes their weights (onnx_import.cpp reads them back in registration order).
class BasicBlock : public torch::nn::Module {
public:
    BasicBlock(int in, int out, int stride, bool squeeze_excite)
        : conv1_(register_module("conv1", conv3x3(in, out, stride))),
          bn1_(register_module("bn1", torch::nn::BatchNorm2d(out))),
          conv2_(register_module("conv2", conv3x3(out, out, 1))),
          bn2_(register_module("bn2", torch::nn::BatchNorm2d(out))) {
        if (squeeze_excite) {
            const int hidden = out / kExcitationReduction;
            se_reduce_ = register_module("se_reduce", conv1x1_with_bias(out, hidden));
            se_expand_ = register_module("se_expand", conv1x1_with_bias(hidden, out));
        }
        if (stride != 1 || in != out) {
            down_conv_ = register_module(
                "down_conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 1).stride(stride).bias(false)));
            down_bn_ = register_module("down_bn", torch::nn::BatchNorm2d(out));
        }
    }

    torch::Tensor forward(const torch::Tensor& x) {
        auto y = torch::relu(bn1_(conv1_(x)));
        y = bn2_(conv2_(y));
        if (se_reduce_) {
            auto gate = torch::relu(se_reduce_(torch::adaptive_avg_pool2d(y, {1, 1})));
            y = y * torch::sigmoid(se_expand_(gate));
        }
        auto shortcut = down_conv_ ? down_bn_(down_conv_(x)) : x;
        return torch::relu(y + shortcut);
    }

    std::string to_onnx(OnnxGraph& g, const std::string& x) const {
        auto y = g.relu(g.conv_bn(x, conv1_, bn1_));
        y = g.conv_bn(y, conv2_, bn2_);
        if (se_reduce_) {
            auto gate = g.relu(g.conv(g.global_avg_pool(y), se_reduce_->weight, se_reduce_->bias, 1, 0));
            y = g.mul(y, g.sigmoid(g.conv(gate, se_expand_->weight, se_expand_->bias, 1, 0)));
        }
        auto shortcut = down_conv_ ? g.conv_bn(x, down_conv_, down_bn_) : x;
        return g.relu(g.add(y, shortcut));
    }

private:
    torch::nn::Conv2d conv1_;
    torch::nn::BatchNorm2d bn1_;
    torch::nn::Conv2d conv2_;
    torch::nn::BatchNorm2d bn2_;
    torch::nn::Conv2d se_reduce_{nullptr};
    torch::nn::Conv2d se_expand_{nullptr};
    torch::nn::Conv2d down_conv_{nullptr};
    torch::nn::BatchNorm2d down_bn_{nullptr};
};

// Stem conv at 44x44, 2x2 max-pool to 22, then stages at 22, 11 and 6 pixels, global average pool.
class ResNet : public EmotionNet {
public:
    ResNet(std::string name, std::array<int, 3> widths, bool squeeze_excite = false) : name_(std::move(name)) {
        stem_ = register_module("stem", conv3x3(1, widths[0], 1));
        stem_bn_ = register_module("stem_bn", torch::nn::BatchNorm2d(widths[0]));
        int in = widths[0];
        for (std::size_t s = 0; s < widths.size(); ++s) {
            for (int b = 0; b < 2; ++b) {
                int stride = (s > 0 && b == 0) ? 2 : 1;
                blocks_.push_back(register_module("block" + std::to_string(s) + "_" + std::to_string(b),
                                                  std::make_shared<BasicBlock>(in, widths[s], stride, squeeze_excite)));
                in = widths[s];
            }
        }
        fc_ = register_module("fc", torch::nn::Linear(in, kClasses));
    }

    torch::Tensor forward(torch::Tensor x) override {
        x = torch::relu(stem_bn_(stem_(x)));
        x = torch::max_pool2d(x, 2, 2);
        for (auto& block : blocks_) x = block->forward(x);
        x = torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1);
        return fc_(x);
    }

    std::string to_onnx(OnnxGraph& g, const std::string& input) const override {
        auto x = g.max_pool(g.relu(g.conv_bn(input, stem_, stem_bn_)), 2, 2);
        for (const auto& block : blocks_) x = block->to_onnx(g, x);
        return g.gemm(g.flatten(g.global_avg_pool(x)), fc_);
    }

    int input_side() const override { return 44; }
    std::string architecture() const override { return name_; }

private:
    std::string name_;
    torch::nn::Conv2d stem_{nullptr};
    torch::nn::BatchNorm2d stem_bn_{nullptr};
    std::vector<std::shared_ptr<BasicBlock>> blocks_;
    torch::nn::Linear fc_{nullptr};
};

// The seed service's Keras model, layer for layer ('valid' padding everywhere, no batch norm).
class SeedNet : public EmotionNet {
public:
    SeedNet() {
        auto conv = [this](const char* name, int in, int out, int k) {
            return register_module(name, torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, k)));
        };
        c1_ = conv("conv1", 1, 64, 5);
        c2_ = conv("conv2", 64, 64, 3);
        c3_ = conv("conv3", 64, 64, 3);
        c4_ = conv("conv4", 64, 128, 3);
        c5_ = conv("conv5", 128, 128, 3);
        d1_ = register_module("dense1", torch::nn::Linear(128, 1024));
        d2_ = register_module("dense2", torch::nn::Linear(1024, 1024));
        out_ = register_module("out", torch::nn::Linear(1024, kClasses));
    }

    torch::Tensor forward(torch::Tensor x) override {
        x = torch::max_pool2d(torch::relu(c1_(x)), 5, 2);                      // 44 -> 20
        x = torch::avg_pool2d(torch::relu(c3_(torch::relu(c2_(x)))), 3, 2);   // 16 -> 7
        x = torch::avg_pool2d(torch::relu(c5_(torch::relu(c4_(x)))), 3, 2);   // 3 -> 1
        x = x.flatten(1);
        x = torch::dropout(torch::relu(d1_(x)), 0.2, is_training());
        x = torch::dropout(torch::relu(d2_(x)), 0.2, is_training());
        return out_(x);
    }

    std::string to_onnx(OnnxGraph& g, const std::string& input) const override {
        auto conv = [&g](const std::string& x, const torch::nn::Conv2d& c) {
            return g.relu(g.conv(x, c->weight, c->bias, 1, 0));
        };
        auto x = g.max_pool(conv(input, c1_), 5, 2);
        x = g.avg_pool(conv(conv(x, c2_), c3_), 3, 2);
        x = g.avg_pool(conv(conv(x, c4_), c5_), 3, 2);
        x = g.flatten(x);
        x = g.relu(g.gemm(x, d1_));
        x = g.relu(g.gemm(x, d2_));
        return g.gemm(x, out_);
    }

    int input_side() const override { return 48; }
    std::string architecture() const override { return "seed"; }

private:
    torch::nn::Conv2d c1_{nullptr}, c2_{nullptr}, c3_{nullptr}, c4_{nullptr}, c5_{nullptr};
    torch::nn::Linear d1_{nullptr}, d2_{nullptr}, out_{nullptr};
};

// The one list of architectures: --arch, its help and make_emotion_net's refusal all read it.
using ArchitectureTable = std::vector<std::pair<std::string, std::function<std::shared_ptr<EmotionNet>()>>>;

const ArchitectureTable& architecture_table() {
    static const ArchitectureTable table{
        {"resnet", [] { return std::make_shared<ResNet>("resnet", std::array{32, 64, 128}); }},
        {"resnet-wide", [] { return std::make_shared<ResNet>("resnet-wide", std::array{48, 96, 192}); }},
        // 1.23x resnet-wide's multiply-adds: 2.5-2.6 ms a face on XNNPACK (one core) against its 1.9, inside
        // live's 3 ms. The first stage stays at 48 channels: 56 runs as slowly as 64 there (vector width).
        {"resnet-wider", [] { return std::make_shared<ResNet>("resnet-wider", std::array{48, 112, 224}); }},
        // resnet-wide with a squeeze-and-excitation gate in every block: 49k more weights, about 0.2% more arithmetic.
        {"resnet-wide-se", [] { return std::make_shared<ResNet>("resnet-wide-se", std::array{48, 96, 192}, true); }},
        {"seed", [] { return std::make_shared<SeedNet>(); }},
    };
    return table;
}

}  // namespace

std::vector<std::string> emotion_net_architectures() {
    std::vector<std::string> names;
    for (const auto& [name, make] : architecture_table()) names.push_back(name);
    return names;
}

std::shared_ptr<EmotionNet> make_emotion_net(const std::string& architecture) {
    for (const auto& [name, make] : architecture_table())
        if (name == architecture) return make();
    std::string known;
    for (const auto& name : emotion_net_architectures()) known += (known.empty() ? "" : ", ") + name;
    throw std::invalid_argument("unknown architecture '" + architecture + "' (known: " + known + ")");
}

int64_t count_parameters(const EmotionNet& net) {
    int64_t n = 0;
    for (const auto& p : net.parameters()) n += p.numel();
    return n;
}

void to_channels_last(torch::nn::Module& m) {
    torch::NoGradGuard no_grad;
    for (auto& p : m.parameters())
        if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
}

}  // namespace dangpli::training
