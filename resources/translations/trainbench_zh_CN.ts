<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>trainbench::ui::ClassifyPanel</name>
    <message>
        <source>Open images…</source>
        <translation>打开图像…</translation>
    </message>
    <message>
        <source>Classify PNG, JPEG or BMP files (you can also drop them here)</source>
        <translation>对 PNG、JPEG 或 BMP 文件分类（也可以把文件拖到这里）</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <source>Classify the picture on the clipboard (Ctrl+V)</source>
        <translation>对剪贴板中的图片分类（Ctrl+V）</translation>
    </message>
    <message>
        <source>Clear list</source>
        <translation>清空列表</translation>
    </message>
    <message>
        <source>Remove every image from the list</source>
        <translation>从列表中移除所有图像</translation>
    </message>
    <message>
        <source>Open, drop or paste images to see what the model says about each</source>
        <translation>打开、拖入或粘贴图像，查看模型对每张图像的判断</translation>
    </message>
    <message>
        <source>Images to classify</source>
        <translation>待分类的图像</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp);;All files (*)</source>
        <translation>图像 (*.png *.jpg *.jpeg *.bmp);;所有文件 (*)</translation>
    </message>
    <message>
        <source>pasted picture</source>
        <translation>粘贴的图片</translation>
    </message>
    <message>
        <source>The clipboard holds no picture.</source>
        <translation>剪贴板中没有图片。</translation>
    </message>
    <message>
        <source>Classify tab: classify the image on the clipboard</source>
        <translation>分类页：对剪贴板中的图像分类</translation>
    </message>
    <message>
        <source>nothing to classify (an empty picture)</source>
        <translation>没有可分类的内容（空白图片）</translation>
    </message>
    <message>
        <source>: %1 · %2%</source>
        <translation>：%1 · %2%</translation>
    </message>
    <message>
        <source>: no model yet</source>
        <translation>：还没有模型</translation>
    </message>
</context>
<context>
    <name>trainbench::ui::ConfusionMatrixWidget</name>
    <message>
        <source>true %1, predicted %2: %L3 images (%4% of the true %1); click to see them</source>
        <translation>真实为 %1、预测为 %2：%L3 张图像（占真实 %1 的 %4%）；点击查看</translation>
    </message>
    <message>
        <source>The confusion matrix appears after the first epoch.</source>
        <translation>第一轮结束后显示混淆矩阵。</translation>
    </message>
    <message>
        <source>predicted</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>true</source>
        <translation>真实</translation>
    </message>
</context>
<context>
    <name>trainbench::ui::ConfusionPage</name>
    <message>
        <source>Click a cell to see its images on the Predictions tab</source>
        <translation>点击单元格，在“预测”页查看其中的图像</translation>
    </message>
    <message>
        <source>Test accuracy per class</source>
        <translation>各类别的测试准确率</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>Test accuracy per class, epoch %1</source>
        <translation>各类别的测试准确率（第 %1 轮）</translation>
    </message>
</context>
<context>
    <name>trainbench::ui::CurvePlot</name>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>train (batches)</source>
        <translation>训练（逐批）</translation>
    </message>
    <message>
        <source>train (batches, smoothed)</source>
        <translation>训练（逐批，平滑）</translation>
    </message>
    <message>
        <source>train (epoch)</source>
        <translation>训练（每轮）</translation>
    </message>
    <message>
        <source>test (epoch)</source>
        <translation>测试（每轮）</translation>
    </message>
    <message>
        <source>validation (epoch)</source>
        <translation>验证（每轮）</translation>
    </message>
</context>
<context>
    <name>trainbench::ui::CurvesPage</name>
    <message>
        <source>Smoothing</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>Exponential moving average of the per-batch values; the raw values stay faint behind</source>
        <translation>逐批数值的指数移动平均；原始数值以浅色显示在后面</translation>
    </message>
    <message>
        <source>Reset view</source>
        <translation>重置视图</translation>
    </message>
    <message>
        <source>Undo zoom and pan (drag to pan, wheel to zoom)</source>
        <translation>撤销缩放和平移（拖动平移，滚轮缩放）</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Save both plots as a PNG image, a PDF, or their values as CSV</source>
        <translation>将两张图保存为 PNG 图像或 PDF，或将数值保存为 CSV</translation>
    </message>
    <message>
        <source>%1…</source>
        <translation>%1…</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>cross-entropy</source>
        <translation>交叉熵</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>lr</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Show the learning rate each step used</source>
        <translation>显示每一步实际使用的学习率</translation>
    </message>
    <message>
        <source>Export curves</source>
        <translation>导出曲线</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation>无法写入 %1</translation>
    </message>
</context>
<context>
    <name>trainbench::ui::DatasetInstaller</name>
    <message>
        <source>%1 has no %2 (raw or .gz)</source>
        <translation>%1 中没有 %2（原始文件或 .gz）</translation>
    </message>
    <message>
        <source>%1 is not the original MNIST file (checksum mismatch)</source>
        <translation>%1 不是原始的 MNIST 文件（校验和不符）</translation>
    </message>
    <message>
        <source>cannot create %1</source>
        <translation>无法创建 %1</translation>
    </message>
    <message>
        <source>cannot write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <source>cannot write %1/%2</source>
        <translation>无法写入 %1/%2</translation>
    </message>
    <message>
        <source>download of %1 failed: %2</source>
        <translation>下载 %1 失败：%2</translation>
    </message>
</context>
<context>
    <name>trainbench::ui::DatasetPanel</name>
    <message>
        <source>MNIST</source>
        <translation>MNIST</translation>
    </message>
    <message>
        <source>Fashion-MNIST</source>
        <translation>Fashion-MNIST</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <source>Which images to train on: MNIST, Fashion-MNIST, or a folder of your own (IDX files, CIFAR-10 batches or one subfolder of images per class)</source>
        <translation>用哪些图像训练：MNIST、Fashion-MNIST，或你自己的文件夹（IDX 文件、CIFAR-10 批文件，或每个类别一个图像子文件夹）</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>The dataset folder: MNIST-style IDX files (train-images, train-labels, t10k-images, t10k-labels, raw or .gz); CIFAR-10 binary batches (data_batch_1.bin … test_batch.bin); or one subfolder of images (.png, .jpg, .bmp) per class, either under train/ and test/ or split by the test fraction</source>
        <translation>数据集文件夹：MNIST 格式的 IDX 文件（train-images、train-labels、t10k-images、t10k-labels，原始文件或 .gz）；CIFAR-10 二进制批文件（data_batch_1.bin … test_batch.bin）；或每个类别一个图像子文件夹（.png、.jpg、.bmp），放在 train/ 和 test/ 下，或按测试比例划分</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose a dataset folder</source>
        <translation>选择数据集文件夹</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Show the files that were skipped and why</source>
        <translation>显示被跳过的文件及原因</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <source>Side of the square images the model sees; auto: the most common size in the folder, at most 64</source>
        <translation>模型看到的正方形图像的边长；自动：文件夹中最常见的尺寸，最大 64</translation>
    </message>
    <message>
        <source>Image size</source>
        <translation>图像尺寸</translation>
    </message>
    <message>
        <source>gray</source>
        <translation>灰度</translation>
    </message>
    <message>
        <source>colour (RGB)</source>
        <translation>彩色（RGB）</translation>
    </message>
    <message>
        <source>auto: colour when any image has colour, else gray</source>
        <translation>自动：只要有彩色图像就用彩色，否则用灰度</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>fit and pad</source>
        <translation>适应并填充</translation>
    </message>
    <message>
        <source>stretch</source>
        <translation>拉伸</translation>
    </message>
    <message>
        <source>fit: keep the shape, scale the longer side to the size and pad with black; stretch: scale each side to the size</source>
        <translation>适应：保持宽高比，将长边缩放到目标尺寸并用黑色填充；拉伸：将每条边分别缩放到目标尺寸</translation>
    </message>
    <message>
        <source>Resize</source>
        <translation>尺寸调整</translation>
    </message>
    <message>
        <source>For a folder without train/ and test/: the fraction of each class held out for testing (the same images for every run)</source>
        <translation>用于没有 train/ 和 test/ 的文件夹：每个类别留作测试的比例（每次运行都是同一批图像）</translation>
    </message>
    <message>
        <source>Test fraction</source>
        <translation>测试集比例</translation>
    </message>
    <message>
        <source>Import MNIST…</source>
        <translation>导入 MNIST…</translation>
    </message>
    <message>
        <source>Copy MNIST from a folder with its four IDX files (raw or .gz)</source>
        <translation>从包含四个 IDX 文件（原始文件或 .gz）的文件夹复制 MNIST</translation>
    </message>
    <message>
        <source>Download MNIST</source>
        <translation>下载 MNIST</translation>
    </message>
    <message>
        <source>Download the four files (11 MB) from %1</source>
        <translation>从 %1 下载这四个文件（11 MB）</translation>
    </message>
    <message>
        <source>Folder with the MNIST files</source>
        <translation>MNIST 文件所在的文件夹</translation>
    </message>
    <message>
        <source>file %1 of %2: %p%</source>
        <translation>第 %1 个文件，共 %2 个：%p%</translation>
    </message>
    <message>
        <source>&lt;b&gt;Download failed.&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;下载失败。&lt;/b&gt;%1</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Train on the first N training images only (0: all)</source>
        <translation>只用前 N 张训练图像训练（0：全部）</translation>
    </message>
    <message>
        <source>Training images</source>
        <translation>训练图像</translation>
    </message>
    <message>
        <source>no shuffle</source>
        <translation>不打乱</translation>
    </message>
    <message>
        <source>Shuffle through a buffer of this many images, as tf.data does</source>
        <translation>用可容纳这么多张图像的缓冲区打乱顺序（同 tf.data）</translation>
    </message>
    <message>
        <source>full</source>
        <translation>完全</translation>
    </message>
    <message>
        <source>Shuffle the whole training set every epoch</source>
        <translation>每轮打乱整个训练集</translation>
    </message>
    <message>
        <source>Shuffle buffer</source>
        <translation>打乱缓冲区</translation>
    </message>
    <message>
        <source>Images per training step</source>
        <translation>每个训练步的图像数</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Drop the last, smaller batch</source>
        <translation>丢弃最后不足一批的数据</translation>
    </message>
    <message>
        <source>Skip the last batch of each epoch when it is smaller than the others</source>
        <translation>每轮最后一批比其他批小时跳过它</translation>
    </message>
    <message>
        <source>Fraction of the training images held out for validation</source>
        <translation>留作验证的训练图像比例</translation>
    </message>
    <message>
        <source>Validation split</source>
        <translation>验证集比例</translation>
    </message>
    <message>
        <source>no shift</source>
        <translation>不平移</translation>
    </message>
    <message>
        <source>Shift each training image by up to this many pixels</source>
        <translation>将每张训练图像随机平移，最多这么多像素</translation>
    </message>
    <message>
        <source>no rotation</source>
        <translation>不旋转</translation>
    </message>
    <message>
        <source>°</source>
        <translation>°</translation>
    </message>
    <message>
        <source>Rotate each training image by up to this many degrees</source>
        <translation>将每张训练图像随机旋转，最多这么多度</translation>
    </message>
    <message>
        <source>no zoom</source>
        <translation>不缩放</translation>
    </message>
    <message>
        <source>Zoom each training image in or out by up to this fraction</source>
        <translation>将每张训练图像随机放大或缩小，最多这个比例</translation>
    </message>
    <message>
        <source>flip</source>
        <translation>翻转</translation>
    </message>
    <message>
        <source>Mirror half the training images left-right (not for digits or text)</source>
        <translation>将一半训练图像左右镜像（不适用于数字或文字）</translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <source>The first training images as augmentation changes them</source>
        <translation>前几张训练图像经数据增强后的样子</translation>
    </message>
    <message>
        <source>Training images per class</source>
        <translation>各类别的训练图像数</translation>
    </message>
    <message>
        <source>Dataset folder</source>
        <translation>数据集文件夹</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>decoding images: %p% of %L1</source>
        <translation>正在解码 %L1 张图像：%p%</translation>
    </message>
    <message>
        <source>cannot load %1: %2</source>
        <translation>无法加载 %1：%2</translation>
    </message>
    <message>
        <source>&lt;b&gt;No dataset.&lt;/b&gt; %1&lt;br&gt;On Debian and Ubuntu, Fashion-MNIST comes with the package dataset-fashion-mnist (sudo apt install dataset-fashion-mnist); or put its four IDX files in %2.</source>
        <translation>&lt;b&gt;没有数据集。&lt;/b&gt;%1&lt;br&gt;在 Debian 和 Ubuntu 上，Fashion-MNIST 由软件包 dataset-fashion-mnist 提供（sudo apt install dataset-fashion-mnist）；也可以把它的四个 IDX 文件放到 %2。</translation>
    </message>
    <message>
        <source>&lt;b&gt;No dataset.&lt;/b&gt; %1&lt;br&gt;Import or download MNIST below, or choose a folder of MNIST-style IDX files, CIFAR-10 batches, or one subfolder of images per class.</source>
        <translation>&lt;b&gt;没有数据集。&lt;/b&gt;%1&lt;br&gt;在下方导入或下载 MNIST，或选择一个包含 MNIST 格式 IDX 文件、CIFAR-10 批文件，或每个类别一个图像子文件夹的文件夹。</translation>
    </message>
    <message>
        <source>image folder</source>
        <translation>图像文件夹</translation>
    </message>
    <message>
        <source>CIFAR-10</source>
        <translation>CIFAR-10</translation>
    </message>
    <message>
        <source>IDX files</source>
        <translation>IDX 文件</translation>
    </message>
    <message>
        <source>%1 (%2): %L3 training and %L4 test images, %5×%6 %7, %8 classes%9</source>
        <translation>%1（%2）：%L3 张训练图像和 %L4 张测试图像，%5×%6 %7，%8 个类别%9</translation>
    </message>
    <message>
        <source>colour</source>
        <translation>彩色</translation>
    </message>
    <message>
        <source> (decoded images from the cache)</source>
        <translation>（解码后的图像来自缓存）</translation>
    </message>
    <message>
        <source>Decoded images cached in %1</source>
        <translation>解码后的图像缓存在 %1</translation>
    </message>
    <message>
        <source>1 file skipped: not readable as an image</source>
        <translation>跳过 1 个文件：无法作为图像读取</translation>
    </message>
    <message>
        <source>%L1 files skipped: not readable as images</source>
        <translation>跳过 %L1 个文件：无法作为图像读取</translation>
    </message>
    <message>
        <source>images</source>
        <translation>图像数</translation>
    </message>
</context>
<context>
    <name>trainbench::ui::DrawPage</name>
    <message>
        <source>Pen</source>
        <translation>画笔</translation>
    </message>
    <message>
        <source>Pen width</source>
        <translation>画笔粗细</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Undo the last stroke (Ctrl+Z)</source>
        <translation>撤销上一笔（Ctrl+Z）</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Clear the canvas (Esc or Delete)</source>
        <translation>清空画布（Esc 或 Delete）</translation>
    </message>
    <message>
        <source>No model yet: train one, or open a checkpoint.</source>
        <translation>还没有模型：训练一个，或打开一个检查点。</translation>
    </message>
    <message>
        <source>Open model…</source>
        <translation>打开模型…</translation>
    </message>
    <message>
        <source>Use a Trainbench checkpoint (you can also drop one here)</source>
        <translation>使用 Trainbench 检查点（也可以把文件拖到这里）</translation>
    </message>
    <message>
        <source>The image as the model sees it</source>
        <translation>模型看到的图像</translation>
    </message>
    <message>
        <source>Saliency</source>
        <translation>显著图</translation>
    </message>
    <message>
        <source>Colour the pixels that sway the top class most (input gradient)</source>
        <translation>为对最高类别影响最大的像素着色（输入梯度）</translation>
    </message>
    <message>
        <source>Probabilities</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>Draw tab: clear the drawing</source>
        <translation>绘制页：清空画布</translation>
    </message>
    <message>
        <source>Draw tab: undo the last stroke or clear</source>
        <translation>绘制页：撤销上一笔或清空</translation>
    </message>
    <message>
        <source>Open model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>Trainbench checkpoints (*.ckpt);;All files (*)</source>
        <translation>Trainbench 检查点 (*.ckpt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <source>open an image</source>
        <translation>打开一张图像</translation>
    </message>
    <message>
        <source>%1 · %2%</source>
        <translation>%1 · %2%</translation>
    </message>
    <message>
        <source>Model: %1 (the previous run&apos;s: the new run&apos;s model comes when it ends)</source>
        <translation>模型：%1（上一次运行的模型；新运行结束后换成新模型）</translation>
    </message>
    <message>
        <source>draw a digit</source>
        <translation>画一个数字</translation>
    </message>
    <message>
        <source>Predicted in %1 ms</source>
        <translation>预测用时 %1 毫秒</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>answer</source>
        <translation>预测结果</translation>
    </message>
    <message>
        <source>1 epoch</source>
        <translation>1 轮</translation>
    </message>
    <message>
        <source>%1 epochs</source>
        <translation>%1 轮</translation>
    </message>
    <message>
        <source>%1 just trained, %2</source>
        <translation>%1，刚训练完，%2</translation>
    </message>
    <message>
        <source>%1 just trained, %2, test accuracy %3%</source>
        <translation>%1，刚训练完，%2，测试准确率 %3%</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
    <message>
        <source>%1, %2, test accuracy %3%</source>
        <translation>%1，%2，测试准确率 %3%</translation>
    </message>
</context>
<context>
    <name>trainbench::ui::DrawingCanvas</name>
    <message>
        <source>Draw one digit. Esc or Delete clears, Ctrl+Z undoes the last stroke.</source>
        <translation>画一个数字。Esc 或 Delete 清空，Ctrl+Z 撤销上一笔。</translation>
    </message>
    <message>
        <source>Draw a digit here</source>
        <translation>在这里画一个数字</translation>
    </message>
</context>
<context>
    <name>trainbench::ui::HelpDialog</name>
    <message>
        <source>Trainbench user guide</source>
        <translation>Trainbench 用户指南</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>The user guide is missing from this build.</source>
        <translation>此版本缺少用户指南。</translation>
    </message>
</context>
<context>
    <name>trainbench::ui::MainWindow</name>
    <message>
        <source>Trainbench</source>
        <translation>Trainbench</translation>
    </message>
    <message>
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <source>Predictions</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <source>Draw</source>
        <translation>绘制</translation>
    </message>
    <message>
        <source>Classify</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <source>TF tutorial (published; running means)</source>
        <translation>TF 教程（公布值；累计均值）</translation>
    </message>
    <message>
        <source>Settings loaded from a run: press Train (F5) to train them again.</source>
        <translation>已从一次运行载入设置：按“训练”（F5）用它们重新训练。</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Train the model with these settings (F5)</source>
        <translation>用这些设置训练模型（F5）</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Pause or resume between batches (F6)</source>
        <translation>在批与批之间暂停或继续（F6）</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop after the current batch (Shift+F5)</source>
        <translation>当前批结束后停止（Shift+F5）</translation>
    </message>
    <message>
        <source>Open in TensorBoard</source>
        <translation>在 TensorBoard 中打开</translation>
    </message>
    <message>
        <source>Start TensorBoard on the runs folder and open it in the browser</source>
        <translation>以运行文件夹为日志目录启动 TensorBoard，并在浏览器中打开</translation>
    </message>
    <message>
        <source>Save model…</source>
        <translation>保存模型…</translation>
    </message>
    <message>
        <source>Open model…</source>
        <translation>打开模型…</translation>
    </message>
    <message>
        <source>Open a checkpoint to try on the Draw tab</source>
        <translation>打开一个检查点，在“绘制”页试用</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Recent models</source>
        <translation>最近的模型</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Reset layout</source>
        <translation>重置布局</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>User guide</source>
        <translation>用户指南</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>About Trainbench</source>
        <translation>关于 Trainbench</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Trainbench %1&lt;/h3&gt;&lt;p&gt;A workbench for building, training, tracking and trying image classifiers.&lt;/p&gt;&lt;p&gt;License: GPL-3.0-or-later&lt;/p&gt;&lt;p&gt;Qt %2 · libtorch %3&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Trainbench %1&lt;/h3&gt;&lt;p&gt;用于构建、训练、跟踪和试用图像分类器的工作台。&lt;/p&gt;&lt;p&gt;许可证：GPL-3.0-or-later&lt;/p&gt;&lt;p&gt;Qt %2 · libtorch %3&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Paused at epoch %1, batch %2</source>
        <translation>已暂停于第 %1 轮第 %2 批</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Resuming…</source>
        <translation>正在继续…</translation>
    </message>
    <message>
        <source>Stopping after this batch…</source>
        <translation>将在本批结束后停止…</translation>
    </message>
    <message>
        <source>Open model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>Trainbench checkpoints (*.ckpt);;All files (*)</source>
        <translation>Trainbench 检查点 (*.ckpt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>No models opened yet</source>
        <translation>还没有打开过模型</translation>
    </message>
    <message>
        <source>Clear list</source>
        <translation>清空列表</translation>
    </message>
    <message>
        <source>Cannot train: %1</source>
        <translation>无法训练：%1</translation>
    </message>
    <message>
        <source>Cannot train: no dataset (%1)</source>
        <translation>无法训练：没有数据集（%1）</translation>
    </message>
    <message>
        <source>Cannot train</source>
        <translation>无法训练</translation>
    </message>
    <message numerus="yes">
        <source>Sweep %1: %n run(s) queued</source>
        <translation>
            <numerusform>参数扫描 %1：已排队 %n 次运行</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot record a cancelled run: %1</source>
        <translation>无法记录已取消的运行：%1</translation>
    </message>
    <message>
        <source>Sweep %1 stopped: %2 run(s) cancelled</source>
        <translation>参数扫描 %1 已停止：取消了 %2 次运行</translation>
    </message>
    <message>
        <source>Sweep %1 finished</source>
        <translation>参数扫描 %1 已完成</translation>
    </message>
    <message>
        <source>Sweep run %1 of %2: %3</source>
        <translation>参数扫描第 %1 次运行，共 %2 次：%3</translation>
    </message>
    <message>
        <source>Choose a runs folder in the Training dock: every run is kept there.</source>
        <translation>请在“训练”面板中选择运行文件夹：每次运行都保存在那里。</translation>
    </message>
    <message>
        <source>Cannot start: %1</source>
        <translation>无法开始：%1</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Training %1 on %2: %3 epochs, batch %4, %5 lr %6</source>
        <translation>在 %2 上训练 %1：%3 轮，批大小 %4，%5 学习率 %6</translation>
    </message>
    <message>
        <source>TensorBoard logs: %1</source>
        <translation>TensorBoard 日志：%1</translation>
    </message>
    <message>
        <source>Cannot resume: %1</source>
        <translation>无法继续：%1</translation>
    </message>
    <message>
        <source>Resuming run %1 for %2 more epoch(s)</source>
        <translation>继续运行 %1，再训练 %2 轮</translation>
    </message>
    <message>
        <source>Device %1, %2 thread(s); %L3 training, %L4 test images; %L5 parameters</source>
        <translation>设备 %1，%2 个线程；%L3 张训练图像，%L4 张测试图像；%L5 个参数</translation>
    </message>
    <message>
        <source>%1 worker processes (%2), batch %L3 each, global batch %L4; Predictions and the confusion matrix are not computed for runs in worker processes</source>
        <translation>%1 个工作进程（%2），每个进程批大小 %L3，全局批大小 %L4；在工作进程中训练的运行不计算预测和混淆矩阵</translation>
    </message>
    <message>
        <source>Epoch %1/%2 · batch %3/%4 · loss %5 · accuracy %6%</source>
        <translation>第 %1/%2 轮 · 第 %3/%4 批 · 损失 %5 · 准确率 %6%</translation>
    </message>
    <message>
        <source>%L1 samples/s · ETA %2</source>
        <translation>%L1 样本/秒 · 剩余 %2</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>1 epoch</source>
        <translation>1 轮</translation>
    </message>
    <message>
        <source>%1 epochs</source>
        <translation>%1 轮</translation>
    </message>
    <message>
        <source>%1 after %2: test accuracy %3% (best %4%, epoch %5) in %6</source>
        <translation>%1，共 %2：测试准确率 %3%（最佳 %4%，第 %5 轮），用时 %6</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>Finished.</source>
        <translation>已完成。</translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>训练失败：%1</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>TensorBoard</source>
        <translation>TensorBoard</translation>
    </message>
    <message>
        <source>TensorBoard is not installed here. Install it (for example &lt;code&gt;pip install tensorboard&lt;/code&gt;) and run:&lt;br&gt;&lt;br&gt;&lt;code&gt;tensorboard --logdir &quot;%1&quot;&lt;/code&gt;&lt;br&gt;&lt;br&gt;then open http://localhost:6006</source>
        <translation>本机未安装 TensorBoard。请先安装（例如 &lt;code&gt;pip install tensorboard&lt;/code&gt;），然后运行：&lt;br&gt;&lt;br&gt;&lt;code&gt;tensorboard --logdir &quot;%1&quot;&lt;/code&gt;&lt;br&gt;&lt;br&gt;再打开 http://localhost:6006</translation>
    </message>
    <message>
        <source>Could not start %1</source>
        <translation>无法启动 %1</translation>
    </message>
    <message>
        <source>Started TensorBoard on %1</source>
        <translation>已启动 TensorBoard（日志目录：%1）</translation>
    </message>
    <message>
        <source>Save model</source>
        <translation>保存模型</translation>
    </message>
    <message>
        <source>Trainbench checkpoints (*.ckpt)</source>
        <translation>Trainbench 检查点 (*.ckpt)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Training in progress</source>
        <translation>正在训练</translation>
    </message>
    <message>
        <source>A run is in progress (it goes on training while this question is open). Stop it after the current batch and quit? Its finished epochs are kept in its run folder.</source>
        <translation>有一次运行正在进行（此对话框打开期间训练仍在继续）。在当前批结束后停止并退出吗？已完成的轮次会保留在它的运行文件夹中。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>The language changes when Trainbench starts again (after this run).</source>
        <translation>语言将在 Trainbench 重新启动后更改（请在当前训练结束后重启）。</translation>
    </message>
    <message>
        <source>The language changes when Trainbench starts again. Restart now?</source>
        <translation>语言将在 Trainbench 重新启动后更改。现在重新启动吗？</translation>
    </message>
    <message>
        <source>Restart now</source>
        <translation>立即重启</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
</context>
<context>
    <name>trainbench::ui::ModelPanel</name>
    <message>
        <source>custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Start from a ready-made model; edit the table to make your own</source>
        <translation>从现成的模型开始；编辑表格构建你自己的模型</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Filters/units</source>
        <translation>滤波器/单元数</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>丢弃率</translation>
    </message>
    <message>
        <source>Kernel/pool</source>
        <translation>核/池化大小</translation>
    </message>
    <message>
        <source>Stride</source>
        <translation>步长</translation>
    </message>
    <message>
        <source>Padding</source>
        <translation>填充</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Cannot train: %1</source>
        <translation>无法训练：%1</translation>
    </message>
    <message>
        <source>Layer (type)</source>
        <translation>层（类型）</translation>
    </message>
    <message>
        <source>Output Shape</source>
        <translation>输出形状</translation>
    </message>
    <message>
        <source>Param #</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Total params:</source>
        <translation>总参数量：</translation>
    </message>
    <message>
        <source>Non-trainable params:</source>
        <translation>不可训练参数量：</translation>
    </message>
    <message>
        <source>Trainable params:</source>
        <translation>可训练参数量：</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
</context>
<context>
    <name>trainbench::ui::PredictionsModel</name>
    <message>
        <source>%1 · %2%</source>
        <translation>%1 · %2%</translation>
    </message>
    <message>
        <source>%1 (is %2)</source>
        <translation>%1（实为 %2）</translation>
    </message>
    <message>
        <source>test image %1: true %2, predicted %3 with %4% confidence</source>
        <translation>测试图像 %1：真实 %2，预测 %3，置信度 %4%</translation>
    </message>
</context>
<context>
    <name>trainbench::ui::PredictionsPage</name>
    <message>
        <source>Only wrong</source>
        <translation>只看错误</translation>
    </message>
    <message>
        <source>All classes</source>
        <translation>所有类别</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>显示全部</translation>
    </message>
    <message>
        <source>Clear every filter</source>
        <translation>清除所有筛选</translation>
    </message>
    <message>
        <source>True class</source>
        <translation>真实类别</translation>
    </message>
    <message>
        <source>Predictions appear after the first epoch.</source>
        <translation>第一轮结束后显示预测。</translation>
    </message>
    <message>
        <source> — filter: true %1 predicted as %2</source>
        <translation> — 筛选：真实 %1 被预测为 %2</translation>
    </message>
    <message>
        <source> — filter: %1</source>
        <translation> — 筛选：%1</translation>
    </message>
    <message>
        <source>only wrong</source>
        <translation>只看错误</translation>
    </message>
    <message>
        <source>true class %1</source>
        <translation>真实类别 %1</translation>
    </message>
    <message>
        <source>Epoch %1: %L2 of %L3 test images wrong%4; showing %L5 of %L6</source>
        <translation>第 %1 轮：%L3 张测试图像中错 %L2 张%4；显示 %L6 张中的 %L5 张</translation>
    </message>
</context>
<context>
    <name>trainbench::ui::RunsPanel</name>
    <message>
        <source>Filter runs (name, model, dataset, status…)</source>
        <translation>筛选运行（名称、模型、数据集、状态…）</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Compare the two selected runs: the settings that differ and the results</source>
        <translation>比较选中的两次运行：不同的设置和结果</translation>
    </message>
    <message>
        <source>Clone</source>
        <translation>克隆</translation>
    </message>
    <message>
        <source>Load the run&apos;s settings into the docks, ready to train (F5)</source>
        <translation>把这次运行的设置载入各面板，即可训练（F5）</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>续训</translation>
    </message>
    <message>
        <source>Continue a stopped or interrupted run from its last checkpoint, in its folder</source>
        <translation>从最后一个检查点继续已停止或中断的运行，保存在原文件夹中</translation>
    </message>
    <message>
        <source>Open model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>Open the run&apos;s best checkpoint in the Draw tab</source>
        <translation>在“绘制”页打开这次运行的最佳检查点</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Show the run&apos;s folder in the file manager</source>
        <translation>在文件管理器中显示这次运行的文件夹</translation>
    </message>
    <message>
        <source>TensorBoard</source>
        <translation>TensorBoard</translation>
    </message>
    <message>
        <source>Open the run&apos;s event files in TensorBoard</source>
        <translation>在 TensorBoard 中打开这次运行的事件文件</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Give the run a name of your own</source>
        <translation>给这次运行起个名字</translation>
    </message>
    <message>
        <source>Notes…</source>
        <translation>备注…</translation>
    </message>
    <message>
        <source>Write notes about the run</source>
        <translation>为这次运行写备注</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Delete the run&apos;s folder, checkpoints and logs</source>
        <translation>删除这次运行的文件夹、检查点和日志</translation>
    </message>
    <message>
        <source>Tutorial</source>
        <translation>教程</translation>
    </message>
    <message>
        <source>Overlay the tutorial&apos;s published numbers (TensorFlow 2 MNIST CNN, 5 epochs): does your run reproduce it? Its metrics are running means over all epochs so far.</source>
        <translation>叠加显示教程公布的数值（TensorFlow 2 MNIST CNN，5 轮）：你的运行能复现吗？教程的指标是到当前为止所有轮次的累计均值。</translation>
    </message>
    <message>
        <source>Sweep…</source>
        <translation>参数扫描…</translation>
    </message>
    <message>
        <source>Queue a grid of runs (learning rates, batch sizes, models, …)</source>
        <translation>将一组网格搜索运行加入队列（学习率、批大小、模型…）</translation>
    </message>
    <message>
        <source>Compare %1 and %2</source>
        <translation>比较 %1 和 %2</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Same settings</source>
        <translation>相同的设置</translation>
    </message>
    <message>
        <source>Settings that differ</source>
        <translation>不同的设置</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>没有模型</translation>
    </message>
    <message>
        <source>Run %1 has no checkpoint: no epoch of it finished.</source>
        <translation>运行 %1 没有检查点：它没有完成任何一轮。</translation>
    </message>
    <message>
        <source>Rename run</source>
        <translation>重命名运行</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Notes on %1:</source>
        <translation>%1 的备注：</translation>
    </message>
    <message>
        <source>
It says it is running (process %1 on %2).</source>
        <translation>
它显示仍在运行（%2 上的进程 %1）。</translation>
    </message>
    <message>
        <source>Delete run</source>
        <translation>删除运行</translation>
    </message>
    <message>
        <source>Delete run %1 and everything in its folder (checkpoints, logs)?
%2</source>
        <translation>删除运行 %1 及其文件夹中的所有内容（检查点、日志）吗？
%2</translation>
    </message>
    <message>
        <source>Could not delete all of %1.</source>
        <translation>无法完全删除 %1。</translation>
    </message>
</context>
<context>
    <name>trainbench::ui::RunsTableModel</name>
    <message>
        <source>damaged: %1</source>
        <translation>已损坏：%1</translation>
    </message>
    <message>
        <source>best</source>
        <translation>最佳</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Best test acc.</source>
        <translation>最佳测试准确率</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>Sweep</source>
        <translation>参数扫描</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>trainbench::ui::StaleBanner</name>
    <message>
        <source>From the previous run: this run&apos;s results appear when its first epoch ends.</source>
        <translation>来自上一次运行：本次运行的结果会在第一轮结束时显示。</translation>
    </message>
</context>
<context>
    <name>trainbench::ui::SweepDialog</name>
    <message>
        <source>Sweep</source>
        <translation>参数扫描</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <source>One value, or several separated by commas: each is tried with every combination of the others</source>
        <translation>一个值，或用逗号分隔的多个值：每个值都会与其他各项的每种组合一起尝试</translation>
    </message>
    <message>
        <source>Queue runs</source>
        <translation>加入队列</translation>
    </message>
    <message>
        <source>Runs one after another for every combination of the values (comma-separated), grouped as one sweep. The other settings come from the docks.</source>
        <translation>对这些值（逗号分隔）的每种组合依次运行，归为一次参数扫描。其他设置取自各面板。</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n 次运行</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>trainbench::ui::TrainingController</name>
    <message>
        <source>The workers&apos; model could not be loaded from %1: %2</source>
        <translation>无法从 %1 加载工作进程训练的模型：%2</translation>
    </message>
    <message>
        <source>A run is already in progress.</source>
        <translation>已有一次运行正在进行。</translation>
    </message>
    <message>
        <source>Training with several workers keeps the run in the runs folder: choose one in the Training dock.</source>
        <translation>用多个工作进程训练时，运行保存在运行文件夹中：请在“训练”面板中选择一个。</translation>
    </message>
</context>
<context>
    <name>trainbench::ui::TrainingPanel</name>
    <message>
        <source>How the weights are updated from their gradients</source>
        <translation>如何根据梯度更新权重</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Step size of the updates; the schedule below changes it over the epochs</source>
        <translation>更新的步长；下面的调度会随轮次改变它</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>SGD and RMSprop: how much of the previous update carries over (Adam has its own)</source>
        <translation>SGD 和 RMSprop：保留多少上一次的更新（Adam 自带动量）</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <source>How the learning rate changes over the epochs</source>
        <translation>学习率如何随轮次变化</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>恒定</translation>
    </message>
    <message>
        <source>step</source>
        <translation>阶梯</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <source>Step schedule: epochs between two reductions of the learning rate</source>
        <translation>阶梯调度：两次降低学习率之间的轮数</translation>
    </message>
    <message>
        <source>every </source>
        <translation>每 </translation>
    </message>
    <message>
        <source> epochs</source>
        <translation> 轮</translation>
    </message>
    <message>
        <source>Step schedule: the factor each reduction multiplies the learning rate by</source>
        <translation>阶梯调度：每次降低时学习率乘以的系数</translation>
    </message>
    <message>
        <source>× </source>
        <translation>× </translation>
    </message>
    <message>
        <source>Step decay</source>
        <translation>阶梯衰减</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Passes over the training images</source>
        <translation>遍历训练图像的次数</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Drives initialisation, shuffling and dropout: the same seed and settings give the same run</source>
        <translation>决定初始化、打乱和 dropout：相同的种子和设置得到相同的运行</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Where the model trains: the CPU, or an NVIDIA GPU when this libtorch has CUDA</source>
        <translation>模型在哪里训练：CPU，或在此 libtorch 支持 CUDA 时使用 NVIDIA GPU</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA</source>
        <translation>CUDA</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>CPU threads for training (0: all cores)</source>
        <translation>训练使用的 CPU 线程数（0：所有核心）</translation>
    </message>
    <message>
        <source>automatic (%1)</source>
        <translation>自动（%1）</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>线程数</translation>
    </message>
    <message>
        <source>1 (in this window)</source>
        <translation>1（在本窗口中）</translation>
    </message>
    <message>
        <source>Processes that train together, data parallel: 1 trains inside the window; more start that many trainbench-cli workers on this machine, each on its share of every batch (the batch size is per process), sharing the cores. Stop stops them all; pausing is not available then.</source>
        <translation>一起训练的进程数（数据并行）：1 表示在本窗口内训练；更多则在本机启动相应数量的 trainbench-cli 工作进程，每个进程处理每批数据中属于自己的那一份（批大小按进程计），共享 CPU 核心。“停止”会停止所有进程；此时不能暂停。</translation>
    </message>
    <message>
        <source>Workers</source>
        <translation>工作进程</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Stop after this many epochs without a better validation loss (test loss when there is no validation split)</source>
        <translation>验证损失（没有验证集时为测试损失）连续这么多轮没有改善就停止</translation>
    </message>
    <message>
        <source>Early stopping</source>
        <translation>早停</translation>
    </message>
    <message>
        <source>Log runs for TensorBoard</source>
        <translation>为 TensorBoard 记录运行</translation>
    </message>
    <message>
        <source>Also write TensorBoard event files into each run&apos;s folder</source>
        <translation>同时在每次运行的文件夹中写入 TensorBoard 事件文件</translation>
    </message>
    <message>
        <source>Every run is kept here in a folder of its own (settings, metrics, checkpoints, logs); trainbench-cli uses the same folder by default</source>
        <translation>每次运行都在这里保存为单独的文件夹（设置、指标、检查点、日志）；trainbench-cli 默认使用同一个文件夹</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Choose the runs folder</source>
        <translation>选择运行文件夹</translation>
    </message>
    <message>
        <source>Runs folder</source>
        <translation>运行文件夹</translation>
    </message>
</context>
<context>
    <name>trainbench::ui::WorkerRun</name>
    <message>
        <source>Could not start %1: %2</source>
        <translation>无法启动 %1：%2</translation>
    </message>
    <message>
        <source>A run is already in progress.</source>
        <translation>已有一次运行正在进行。</translation>
    </message>
    <message>
        <source>Training with several workers needs trainbench-cli, which was not found next to this program or on PATH.</source>
        <translation>用多个工作进程训练需要 trainbench-cli，但在本程序旁边和 PATH 中都没有找到它。</translation>
    </message>
    <message>
        <source>Cannot create a temporary folder for the workers&apos; settings: %1</source>
        <translation>无法为工作进程的设置创建临时文件夹：%1</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>The workers ended with exit code %1.</source>
        <translation>工作进程以退出码 %1 结束。</translation>
    </message>
</context>
</TS>
